/**
 * Chinese (first: the legally authoritative text) and English labels, the one table of reason codes in words a
 * clerk understands, and the formats of money and dates.
 */
import { signal } from "./state";

export type Lang = "zh" | "en";
export const lang = signal<Lang>((localStorage.getItem("lang") as Lang) === "en" ? "en" : "zh");
export function setLang(next: Lang) {
  localStorage.setItem("lang", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  lang.set(next);
}

type Entry = { zh: string; en: string };
const L = {
  appName: { zh: "知识产权质押登记", en: "IP Pledge Registry" },
  skip: { zh: "跳到正文", en: "Skip to content" },
  language: { zh: "English", en: "中文" },
  languageLabel: { zh: "切换到英文", en: "Switch to Chinese" },
  signIn: { zh: "登录", en: "Sign in" },
  signOut: { zh: "退出", en: "Sign out" },
  signedInAs: { zh: "当前机构", en: "Signed in as" },
  apiKey: { zh: "机构 API 密钥", en: "Organisation API key" },
  apiKeyHelp: {
    zh: "密钥只保存在本浏览器标签页中（关闭标签页即清除）。",
    en: "The key is kept in this browser tab only (cleared when the tab closes).",
  },
  demoPicker: { zh: "演示机构（仅限本地演示链）", en: "Demo organisations (local demo chain only)" },
  demoHelp: {
    zh: "本地演示：选择一个机构即可登录。正式部署中没有此列表。",
    en: "Local demo: pick an organisation to sign in. A real deployment has no such list.",
  },
  unknownKey: { zh: "密钥无效：网关不认识这个密钥。", en: "Unknown key: the gateway does not know this key." },
  menu: { zh: "主菜单", en: "Main menu" },
  home: { zh: "首页", en: "Home" },
  verify: { zh: "报告核验", en: "Verify a report" },
  collateral: { zh: "押品查询", en: "Collateral check" },
  bulk: { zh: "批量查询", en: "Bulk check" },
  queue: { zh: "待审登记", en: "Registration queue" },
  welcome: { zh: "欢迎", en: "Welcome" },
  whatYouCanDo: { zh: "您可以：", en: "What you can do here:" },
  comingLater: {
    zh: "新申请、签名、评估报告上链、资产池等页面将陆续推出；目前可通过 API 完成。",
    en: "New applications, signing, anchoring reports and pool pages come later; today they are done through the API.",
  },
  // verify
  verifyIntro: {
    zh: "选择或拖入一份评估报告文件，核验它是否已在登记簿上存证。",
    en: "Choose or drop a valuation report file to check whether it is anchored on the register.",
  },
  neverLeaves: {
    zh: "文件不会离开您的浏览器：只在本机计算其 SHA-256 摘要，并只把摘要发给网关。",
    en: "The file never leaves your browser: only its SHA-256 fingerprint is computed here and sent to the gateway.",
  },
  chooseFile: { zh: "选择文件", en: "Choose a file" },
  dropHere: { zh: "或把文件拖到这里", en: "or drop the file here" },
  orPasteHash: {
    zh: "或粘贴 SHA-256 摘要（0x 开头，64 位十六进制）",
    en: "or paste a SHA-256 hash (0x + 64 hex digits)",
  },
  check: { zh: "核验", en: "Check" },
  hashing: { zh: "正在本机计算摘要…", en: "Computing the fingerprint here…" },
  asking: { zh: "正在查询登记簿…", en: "Asking the register…" },
  fileHash: { zh: "文件摘要 (SHA-256)", en: "File fingerprint (SHA-256)" },
  anchored: { zh: "已存证", en: "Anchored" },
  notFound: { zh: "未找到：登记簿上没有这份报告", en: "Not found: the register has no such report" },
  notFoundHelp: {
    zh: "文件哪怕改动一个字节，摘要也会不同。请确认是评估机构出具的原始文件。",
    en: "Changing even one byte changes the fingerprint. Make sure this is the evaluator's original file.",
  },
  evaluator: { zh: "评估机构", en: "Evaluator" },
  anchoredAt: { zh: "存证时间", en: "Anchored on" },
  validUntil: { zh: "有效期至", en: "Valid until" },
  reportState: { zh: "报告状态", en: "Report state" },
  supersededBy: { zh: "被以下报告取代", en: "Superseded by" },
  proof: { zh: "链上证明", en: "Proof on chain" },
  transaction: { zh: "交易", en: "Transaction" },
  block: { zh: "区块", en: "Block" },
  badHash: { zh: "摘要格式不对：应为 0x 加 64 位十六进制。", en: "Not a hash: expected 0x and 64 hex digits." },
  // ── evaluator, public verify's batch states, pools (web pool/evaluator pages) ──
  reports: { zh: "评估报告", en: "Valuation reports" },
  pools: { zh: "资产池", en: "Pools" },
  pvQueued: { zh: "已排队，等待打包存证", en: "Queued for a batch" },
  pvQueuedHelp: {
    zh: "评估机构已提交这份报告，它将随下一批一起上链；批次签名上链后即可核验。",
    en: "The evaluator has submitted this report; it goes on chain with its next batch and can be verified then.",
  },
  pvInAnchoredBatch: { zh: "已随批次存证", en: "Anchored in a batch" },
  pvInAnchoredBatchHelp: {
    zh: "报告所在批次的默克尔根已上链；报告本身尚未单独登记，任何人都可凭其证明登记。",
    en: "The Merkle root of the report's batch is on chain; the report itself is not recorded singly yet (anyone may, with its proof).",
  },
  pvBatchState: { zh: "批次状态", en: "Batch state" },
  pvStageQueued: { zh: "排队中（批次未封存）", en: "Queued (batch not sealed)" },
  pvStageAwaiting: { zh: "批次已封存，等待评估机构签名", en: "Batch sealed, awaiting the evaluator's signature" },
  pvStageInBatch: { zh: "批次已上链", en: "Batch anchored on chain" },
  evNew: { zh: "存证一份新报告", en: "Anchor a new report" },
  evFileIntro: {
    zh: "选择报告文件：摘要 (SHA-256) 在本机计算；文件随后存入登记机构的文档库，供质权人日后调阅。",
    en: "Choose the report file: its SHA-256 is computed here; the file is then stored in the registry's document store so that a lender can fetch it later.",
  },
  evAssets: {
    zh: "评估的资产（每行一个官方编号，或资产 ID）",
    en: "Assets valued (one official number or asset id per line)",
  },
  evValue: { zh: "评估价值（元）", en: "Value (yuan)" },
  evValueHelp: { zh: "例如 2500000.00", en: "e.g. 2500000.00" },
  evMethod: { zh: "评估方法", en: "Method" },
  evValuationDate: { zh: "评估基准日", en: "Valuation date" },
  evValidUntil: { zh: "有效期至", en: "Valid until" },
  evSupersedes: { zh: "取代的报告（可选，填其摘要）", en: "Supersedes (optional: the older report's hash)" },
  evUri: { zh: "文件地址（可选）", en: "Where the file can be fetched (optional)" },
  evPrepare: { zh: "核查并准备签名", en: "Check and prepare" },
  evPreparing: { zh: "正在上传文件并核查登记规则…", en: "Uploading the file and checking the register's rules…" },
  evConfirm: { zh: "请确认：您将签署以下内容", en: "Please confirm: you are about to sign this" },
  evConfirmText: {
    zh: "本机构确认以下评估报告由本机构出具，内容属实，并将其摘要存证于登记簿：",
    en: "Our firm states that it issued the valuation report below and anchors its fingerprint in the register:",
  },
  evSignAnchor: { zh: "签名并立即存证", en: "Sign and anchor now" },
  evQueue: { zh: "放入下一批次（稍后对整批签名一次）", en: "Queue into the next batch (sign the batch once, later)" },
  evSigning: { zh: "正在本机签名并等待上链确认…", en: "Signing here and waiting for the chain…" },
  evReceipt: { zh: "存证回执", en: "Receipt" },
  evQueuedReceipt: {
    zh: "已放入下一批次。批次封存后，请在下方“待签名批次”中签名。",
    en: "Queued into the next batch. Once the batch is sealed, sign it under “Batches awaiting signature” below.",
  },
  evKey: { zh: "签名密钥（只保存在本页）", en: "Signing key (kept in this page only)" },
  evKeyHelp: {
    zh: "私钥不会发送给网关或任何人；关闭或刷新页面即清除。",
    en: "The private key is never sent to the gateway or anyone; closing or reloading the page forgets it.",
  },
  evUseDemoKey: { zh: "使用演示账户的密钥", en: "Use the demo account's key" },
  evLoadKey: { zh: "载入密钥文件", en: "Load a key file" },
  evKeyLoaded: { zh: "已载入密钥，地址", en: "Key loaded, address" },
  evKeyMismatch: {
    zh: "该密钥不属于本机构的账户，签名将被拒绝。",
    en: "This key is not your organisation's account: the register would refuse its signature.",
  },
  evNoKey: { zh: "请先载入签名密钥。", en: "Load a signing key first." },
  evNoDemoKey: { zh: "这不是演示链上的账户。", en: "Not one of the demo chain's accounts." },
  evBatches: { zh: "待签名批次", en: "Batches awaiting signature" },
  evNoBatches: { zh: "没有待签名的批次。", en: "No batch awaits a signature." },
  evBatchLine: { zh: "批次根", en: "Batch root" },
  evReportCount: { zh: "份报告", en: "reports" },
  evSignBatch: { zh: "签名并存证整批", en: "Sign and anchor the batch" },
  evMine: { zh: "本机构的报告", en: "Our firm's reports" },
  evNoReports: { zh: "还没有报告。", en: "No reports yet." },
  evStage: { zh: "状态", en: "State" },
  evVerdict: { zh: "现状", en: "Standing" },
  evActions: { zh: "操作", en: "Actions" },
  evSupersede: { zh: "出具替代报告", en: "Supersede" },
  evRevoke: { zh: "撤销", en: "Revoke" },
  evRevokeReason: { zh: "撤销理由", en: "Reason for revoking" },
  evConfirmRevoke: { zh: "签名并撤销", en: "Sign and revoke" },
  evRevoked: { zh: "已撤销", en: "Revoked" },
  evSupersedeHelp: {
    zh: "请在上方选择新报告文件并填写内容；它将取代：",
    en: "Choose the new report's file above and fill in its fields; it will supersede:",
  },
  evBadValue: { zh: "金额格式不对：例如 2500000.00", en: "Not an amount: e.g. 2500000.00" },
  evUnknownAsset: { zh: "登记簿上没有这项资产", en: "The register has no such asset" },
  evNoFile: { zh: "请先选择报告文件。", en: "Choose the report file first." },
  stage_queued: { zh: "排队中", en: "Queued" },
  "stage_awaiting-signature": { zh: "待签名", en: "Awaiting signature" },
  "stage_anchored-in-batch": { zh: "已随批次上链", en: "Anchored in a batch" },
  stage_registered: { zh: "已登记", en: "Registered" },
  time: { zh: "时间", en: "Time" },
  // pools
  plIntro: { zh: "本网关已知的资产池。", en: "The pools this gateway knows." },
  plNone: { zh: "没有已知的资产池。", en: "No pool is known." },
  plPool: { zh: "资产池", en: "Pool" },
  plStatus: { zh: "状态", en: "Status" },
  plPeriods: { zh: "已分配期数", en: "Periods distributed" },
  plOpen: { zh: "打开", en: "Open" },
  plOverview: { zh: "概览", en: "Overview" },
  plPaymentToken: { zh: "支付代币", en: "Payment token" },
  plOriginator: { zh: "发起人", en: "Originator" },
  plStart: { zh: "起始日", en: "Start date" },
  plNext: { zh: "下一期", en: "Next period" },
  plNextEnds: { zh: "结束于", en: "ends on" },
  plNoNext: { zh: "所有计划期数已分配。", en: "Every scheduled period is distributed." },
  plNextNow: {
    zh: "若以现有资金运行本期分配（估算；期末前仍可能有回款）：先付费用，再付优先级利息（{d} 天，按实际天数/365 计），不足时动用储备金，再要求担保人代偿；余额偿还优先级本金。",
    en: "A distribution with the cash at hand now would (an estimate: more may arrive before the period ends): pay fees, then senior interest ({d} days, Actual/365), draw the reserve and then call the guarantor for a shortfall, and retire senior principal with the rest.",
  },
  plReserve: { zh: "储备金", en: "Reserve" },
  plReserveTarget: { zh: "储备金目标", en: "Reserve target" },
  plCollections: { zh: "待分配回款", en: "Collections to distribute" },
  plEscrow: { zh: "托管", en: "Escrow" },
  plFees: { zh: "每期费用", en: "Fees per period" },
  plFeeArrears: { zh: "欠付费用", en: "Fee arrears" },
  plBalanced: { zh: "账实相符（现金流入 = 流出 + 持有）", en: "Books balance (cash in = cash out + held)" },
  plUnbalanced: { zh: "账实不符！", en: "Books do not balance!" },
  plTranches: { zh: "分层", en: "Tranches" },
  plTranche: { zh: "分层", en: "Tranche" },
  plSeniority: { zh: "级别", en: "Seniority" },
  senior: { zh: "优先级", en: "Senior" },
  subordinated: { zh: "次级", en: "Subordinated" },
  plCoupon: { zh: "票面利率", en: "Coupon" },
  plFace: { zh: "面值", en: "Face" },
  plOutstanding: { zh: "未偿本金", en: "Outstanding" },
  plFactor: { zh: "池因子", en: "Pool factor" },
  plArrears: { zh: "欠付利息", en: "Interest arrears" },
  plWrittenDown: { zh: "减记", en: "Written down" },
  plGuarantor: { zh: "担保人", en: "Guarantor" },
  plCap: { zh: "担保上限", en: "Cap" },
  plCalled: { zh: "已代偿", en: "Called" },
  plCalls: { zh: "代偿记录", en: "Guarantor calls" },
  plNoCalls: { zh: "没有代偿。", en: "No calls." },
  plPaid: { zh: "已付", en: "Paid" },
  plLicences: { zh: "许可合同与分期付款", en: "Licences and instalments" },
  plLicence: { zh: "许可", en: "Licence" },
  plLicensee: { zh: "被许可人", en: "Licensee" },
  plDue: { zh: "到期日", en: "Due" },
  plAmount: { zh: "金额", en: "Amount" },
  plState: { zh: "状态", en: "State" },
  instPaid: { zh: "已付", en: "Paid" },
  instLate: { zh: "逾期支付", en: "Paid late" },
  instDefaulted: { zh: "违约", en: "Defaulted" },
  instDue: { zh: "未到期", en: "Not due yet" },
  instOverdue: { zh: "逾期未付", en: "Overdue" },
  instPartial: { zh: "部分支付", en: "Part paid" },
  plWaterfall: { zh: "各期分配瀑布", en: "Each period's waterfall" },
  plPeriod: { zh: "第 {n} 期", en: "Period {n}" },
  plNoPeriods: { zh: "尚未分配任何一期。", en: "No period is distributed yet." },
  plStep: { zh: "步骤", en: "Step" },
  plCashIn: { zh: "现金流入", en: "Cash in" },
  plChartWaterfall: { zh: "现金流入与各步流出（元）", en: "Cash in and each step out (yuan)" },
  plChartOutstanding: { zh: "各分层未偿本金（元）与池因子", en: "Tranche outstanding (yuan) and pool factor" },
  plOverTime: { zh: "随时间变化", en: "Over time" },
  plTrace: { zh: "审计追踪", en: "Auditor's trace" },
  plTraceIntro: {
    zh: "许可 → 分期 → 付款 → 分配步骤 → 分层入账 → 持有人领取，每一步都附链上证明。",
    en: "Licence → instalments → payments → waterfall steps → tranche credits → claims, each with its proof on chain.",
  },
  plNoTrace: { zh: "您的角色不能查看审计追踪。", en: "Your role cannot see the auditor's trace." },
  plPayments: { zh: "付款", en: "Payments" },
  plPayer: { zh: "付款人", en: "Payer" },
  plDistributedIn: { zh: "分配于", en: "Distributed in" },
  plCredits: { zh: "入账", en: "Credits" },
  plClaims: { zh: "持有人领取", en: "Holders' claims" },
  plHolder: { zh: "持有人", en: "Holder" },
  plNoClaims: { zh: "尚无领取。", en: "No claims yet." },
  plReconcile: { zh: "对账", en: "Reconciliation" },
  plReconcilePeriod: { zh: "对账期次", en: "Period to reconcile" },
  plNow: { zh: "当前", en: "Now" },
  plDigest: { zh: "报告摘要", en: "Report digest" },
  plDigestOk: { zh: "与链上记录一致", en: "matches the chain" },
  plDigestBad: { zh: "与链上记录不一致！", en: "does NOT match the chain!" },
  plSection: { zh: "部分", en: "Section" },
  plItem: { zh: "项目", en: "Item" },
  plCsvWaterfall: { zh: "下载瀑布 CSV", en: "Download waterfall CSV" },
  plCsvReconcile: { zh: "下载对账 CSV", en: "Download reconciliation CSV" },
  plCsvTrace: { zh: "下载追踪 CSV", en: "Download trace CSV" },
  plDistribute: { zh: "运行本期分配", en: "Run this period's distribution" },
  plDistributed: { zh: "已分配", en: "Distributed" },
  plLosses: { zh: "违约损失", en: "Losses" },
  plBack: { zh: "全部资产池", en: "All pools" },
  sec_report: { zh: "本期报告", en: "Period report" },
  sec_cashIn: { zh: "现金流入", en: "Cash in" },
  sec_cashOut: { zh: "现金流出", en: "Cash out" },
  sec_held: { zh: "持有", en: "Held" },
  sec_check: { zh: "代币余额核对", en: "Token check" },
  plBooks: { zh: "分配后账簿", en: "books after" },
  rec_collections: { zh: "本期回款", en: "Collections" },
  rec_reserveDrawn: { zh: "动用储备金", en: "Reserve drawn" },
  rec_guarantorCalled: { zh: "要求担保人代偿", en: "Guarantor called" },
  rec_guarantorPaid: { zh: "担保人已付", en: "Guarantor paid" },
  rec_feesPaid: { zh: "已付费用", en: "Fees paid" },
  rec_interestPaid: { zh: "已付利息", en: "Interest paid" },
  rec_principalPaid: { zh: "已付本金", en: "Principal paid" },
  rec_reserveReleased: { zh: "释放储备金", en: "Reserve released" },
  rec_reserveToppedUp: { zh: "补足储备金", en: "Reserve topped up" },
  rec_subordinatedPaid: { zh: "次级收益", en: "Subordinated paid" },
  rec_dust: { zh: "尾差", en: "Dust (rounding)" },
  rec_reserveAfter: { zh: "期末储备金", en: "Reserve after" },
  rec_feeArrearsAfter: { zh: "期末欠付费用", en: "Fee arrears after" },
  rec_interestArrearsAfter: { zh: "期末欠付利息", en: "Interest arrears after" },
  rec_outstandingAfter: { zh: "期末未偿本金", en: "Outstanding after" },
  rec_subscribed: { zh: "认购款", en: "Subscribed" },
  rec_collected: { zh: "已收回款", en: "Collected" },
  rec_unsolicited: { zh: "直接转入款", en: "Sent directly" },
  rec_total: { zh: "合计", en: "Total" },
  rec_proceedsPaid: { zh: "已付发起人对价", en: "Proceeds paid" },
  rec_claimsPaid: { zh: "持有人已领取", en: "Claims paid" },
  rec_refunded: { zh: "已退款", en: "Refunded" },
  rec_escrow: { zh: "托管", en: "Escrow" },
  rec_collectionsAvailable: { zh: "待分配回款", en: "Collections to distribute" },
  rec_reserve: { zh: "储备金", en: "Reserve" },
  rec_trancheClaimable: { zh: "分层待领取", en: "Claimable by holders" },
  rec_tokenBalance: { zh: "代币余额", en: "Token balance" },
  rec_unbooked: { zh: "未入账", en: "Unbooked" },
  rec_balanced: { zh: "账实相符", en: "Balanced" },
  plPeriodCol: { zh: "期次", en: "Period" },
  plReserveAfter: { zh: "期末储备金", en: "Reserve after" },
  plNoCredits: { zh: "尚无入账。", en: "No credits yet." },
  evAssetsShort: { zh: "评估的资产", en: "Assets valued" },
  pool_Subscription: { zh: "认购期", en: "Subscription" },
  pool_Active: { zh: "运行中", en: "Active" },
  pool_Cancelled: { zh: "已取消", en: "Cancelled" },
  pool_WoundUp: { zh: "已清算", en: "Wound up" },
  step_Fees: { zh: "费用", en: "Fees" },
  step_SeniorInterest: { zh: "优先级利息", en: "Senior interest" },
  step_ReserveDraw: { zh: "动用储备金", en: "Reserve drawn" },
  step_GuarantorCall: { zh: "担保人代偿", en: "Guarantor call" },
  step_SeniorPrincipal: { zh: "优先级本金", en: "Senior principal" },
  step_ReserveTopUp: { zh: "补足储备金", en: "Reserve top-up" },
  step_ReserveRelease: { zh: "释放储备金", en: "Reserve released" },
  step_Subordinated: { zh: "次级收益", en: "Subordinated" },
  method_Income: { zh: "收益法", en: "Income" },
  method_Market: { zh: "市场法", en: "Market" },
  method_Cost: { zh: "成本法", en: "Cost" },
  method_BankInternal: { zh: "银行内部评估", en: "Bank's internal" },
  // collateral
  assetKind: { zh: "资产类型", en: "Asset kind" },
  officialNumber: { zh: "官方编号（专利号、注册号等）", en: "Official number (patent no., registration no.…)" },
  officialNumberShort: { zh: "官方编号", en: "Official number" },
  noAsset: { zh: "登记簿上没有这项资产", en: "The register has no such asset" },
  pledgedNow: { zh: "已出质", en: "Pledged" },
  freeNow: { zh: "未出质（可设质）", en: "Free (not pledged)" },
  standing: { zh: "资产状况", en: "Asset standing" },
  pledgee: { zh: "质权人", en: "Pledgee" },
  securedAmount: { zh: "担保主债权金额", en: "Secured amount" },
  maturity: { zh: "债务到期日", en: "Debt matures on" },
  registrationNumber: { zh: "登记号", en: "Registration no." },
  registeredAt: { zh: "登记时间", en: "Registered on" },
  valuation: { zh: "所依据的评估报告", en: "Valuation relied on" },
  valuationHolds: { zh: "报告现状", en: "Does the report still hold?" },
  history: { zh: "历史记录", en: "History" },
  noHistory: { zh: "无质押记录", en: "No pledge events" },
  event: { zh: "事件", en: "Event" },
  pledgeNo: { zh: "质押编号", en: "Pledge id" },
  // bulk
  bulkIntro: {
    zh: "每行一个编号；也可写成“资产类型,编号”。未写类型的行使用下面选择的类型。",
    en: "One number per line; or “kind,number”. Lines without a kind use the kind chosen below.",
  },
  numbers: { zh: "编号列表", en: "List of numbers" },
  defaultKind: { zh: "默认资产类型", en: "Default asset kind" },
  checkAll: { zh: "全部查询", en: "Check all" },
  downloadCsv: { zh: "下载 CSV", en: "Download CSV" },
  progress: { zh: "进度", en: "Progress" },
  result: { zh: "结果", en: "Result" },
  error: { zh: "出错", en: "Error" },
  // queue
  queueEmpty: { zh: "没有待审的登记申请。", en: "No applications are waiting." },
  application: { zh: "申请", en: "Application" },
  submittedAt: { zh: "提交时间", en: "Submitted on" },
  pledgors: { zh: "出质人", en: "Pledgor(s)" },
  assets: { zh: "质押资产", en: "Assets" },
  rules: { zh: "登记规则核查（§4.2）", en: "Registration rules (§4.2)" },
  pass: { zh: "通过", en: "Pass" },
  fail: { zh: "不通过", en: "Fail" },
  allPass: { zh: "全部规则通过，可以登记。", en: "Every rule passes: it can be registered." },
  someFail: { zh: "有规则未通过，应当驳回。", en: "Some rules fail: it should be refused." },
  register: { zh: "准予登记", en: "Register" },
  refuse: { zh: "驳回", en: "Refuse" },
  refuseReason: { zh: "驳回理由", en: "Reason for refusal" },
  freeText: { zh: "其他理由（请在下面写明）", en: "Another reason (write it below)" },
  note: { zh: "说明", en: "Note" },
  confirmRefuse: { zh: "确认驳回", en: "Confirm refusal" },
  cancel: { zh: "取消", en: "Cancel" },
  sending: { zh: "正在提交交易并等待上链确认…", en: "Sending the transaction and waiting for the chain…" },
  registered: { zh: "已登记", en: "Registered" },
  refused: { zh: "已驳回", en: "Refused" },
  whatNext: { zh: "下一步", en: "What to do next" },
  retryLater: {
    zh: "请刷新队列后重试；如仍失败请联系系统管理员。",
    en: "Refresh the queue and try again; if it still fails, call the administrator.",
  },
  retryGeneric: {
    zh: "请稍后重试；如仍失败请联系系统管理员。",
    en: "Try again in a moment; if it still fails, call the administrator.",
  },
  checkKey: {
    zh: "请检查密钥是否完整，或向本机构的管理员索取新密钥。",
    en: "Check that the key is complete, or ask your organisation's administrator for a new one.",
  },
  refresh: { zh: "刷新", en: "Refresh" },
  loading: { zh: "加载中…", en: "Loading…" },
  needsNote: { zh: "请写明驳回理由。", en: "Please write the reason." },
} satisfies Record<string, Entry>;

export type LabelKey = keyof typeof L;
export const t = (key: LabelKey) => L[key][lang.get()];
/** A name in words when the table has `prefix` + name (pool statuses, waterfall steps, methods), else as it is. */
export const named = (prefix: string, name: string | null) =>
  name === null ? "—" : `${prefix}${name}` in L ? t(`${prefix}${name}` as LabelKey) : name;

/**
 * Every reason code the register gives, in words. Rules of SPEC §4.2 in their order; `rule` is the rule's
 * number there. One table: the queue's checklist, refusals, standings and verdicts all read from it.
 */
export const REASONS: Record<string, Entry & { rule?: number; check?: Entry }> = {
  PLEDGOR_NOT_HOLDER: {
    rule: 1,
    check: { zh: "每位出质人都是登记在册的权利人", en: "Every pledgor is a recorded holder" },
    zh: "出质人不是该资产登记在册的权利人",
    en: "A pledgor is not a recorded holder of the asset",
  },
  ASSET_NOT_IN_FORCE: {
    rule: 2,
    check: {
      zh: "资产有效（未终止、未期满、未被宣告无效）",
      en: "The asset is in force (not lapsed, expired or invalidated)",
    },
    zh: "资产已终止、期满或被宣告无效",
    en: "The asset has lapsed, expired or been invalidated",
  },
  ASSET_NOT_GRANTED: {
    rule: 3,
    check: { zh: "资产已授权", en: "The asset is granted" },
    zh: "资产仅在申请中，尚未授权",
    en: "The asset is only applied for, not granted",
  },
  ANNUAL_FEE_UNPAID: {
    rule: 4,
    check: { zh: "年费已缴", en: "Annual fees are paid" },
    zh: "年费未缴",
    en: "Annual fees are unpaid",
  },
  ASSET_FROZEN: {
    rule: 5,
    check: { zh: "资产未被冻结（无权属纠纷、无法院保全）", en: "The asset is not frozen (no dispute, no court order)" },
    zh: "权属纠纷或法院保全，资产被冻结",
    en: "An ownership dispute or a court order freezes the asset",
  },
  DEBT_BEYOND_EXPIRY: {
    rule: 6,
    check: { zh: "债务在资产保护期届满前到期", en: "The debt matures before the asset expires" },
    zh: "债务到期日晚于资产保护期届满日",
    en: "The debt matures after the asset expires",
  },
  FORFEITURE_CLAUSE: {
    rule: 7,
    check: { zh: "合同不含流质条款", en: "The contract has no forfeiture clause" },
    zh: "合同含流质条款（不还款则资产归质权人）",
    en: "The contract has a forfeiture clause",
  },
  CO_OWNER_CONSENT_MISSING: {
    rule: 8,
    check: { zh: "全体共有人均已签名", en: "Every co-owner has signed" },
    zh: "共有资产缺少全体共有人的签名",
    en: "A co-owner of the asset has not signed",
  },
  ALREADY_PLEDGED: {
    rule: 9,
    check: { zh: "资产没有其他已登记的质押", en: "The asset is under no other registered pledge" },
    zh: "资产已有已登记的质押",
    en: "The asset is already under a registered pledge",
  },
  INVALIDATION_PENDING: {
    rule: 10,
    check: {
      zh: "无无效宣告程序，或申请已声明知悉",
      en: "No invalidation proceedings, or the parties acknowledged them",
    },
    zh: "无效宣告程序进行中，且申请未声明知悉",
    en: "Invalidation proceedings are pending and not acknowledged",
  },
  VALUATION_INVALID: {
    rule: 11,
    check: { zh: "评估报告有效且覆盖全部资产", en: "The valuation report is valid and covers every asset" },
    zh: "评估报告不存在、已撤销、被取代、已过期或未覆盖全部资产",
    en: "The valuation report is unknown, revoked, superseded, expired or does not cover every asset",
  },
  PLEDGEE_NOT_LICENSED: {
    rule: 12,
    check: { zh: "质权人是持牌贷款机构", en: "The pledgee is a licensed lender" },
    zh: "质权人不是持牌贷款机构",
    en: "The pledgee is not a licensed lender",
  },
  SIGNATURE_INVALID: { rule: 13, zh: "签名无效或缺失", en: "A signature is invalid or missing" },
  NONCE_USED: { rule: 13, zh: "签名已被使用过（重复提交）", en: "A signature was already used (replayed)" },
  DEADLINE_PASSED: { rule: 13, zh: "签名已过期限", en: "A signature's deadline has passed" },
  REFUSED_BY_REGISTRAR: { zh: "登记机关以其他理由驳回", en: "Refused by the office for another reason" },
  IN_GOOD_STANDING: { zh: "状况良好，可以设质", en: "In good standing: can back a pledge" },
  // valuation verdicts
  VALID: { zh: "有效", en: "Still valid" },
  UNKNOWN: { zh: "登记簿上没有这份报告", en: "Not on the register" },
  REVOKED: { zh: "已被评估机构撤销", en: "Revoked by the evaluator" },
  SUPERSEDED: { zh: "已被新报告取代", en: "Superseded by a newer report" },
  EXPIRED: { zh: "已过有效期", en: "Expired" },
  ASSET_NOT_COVERED: { zh: "报告未覆盖全部资产", en: "Does not cover every asset" },
};
/** The rules of SPEC §4.2 as the queue lists them (rule 13 gathers three codes). */
export const RULES: { rule: number; codes: string[]; check: Entry }[] = [
  ...Object.entries(REASONS)
    .filter(([, r]) => r.rule !== undefined && r.rule < 13)
    .map(([code, r]) => ({ rule: r.rule!, codes: [code], check: r.check! })),
  {
    rule: 13,
    codes: ["SIGNATURE_INVALID", "NONCE_USED", "DEADLINE_PASSED"],
    check: { zh: "签名有效、未重复使用、未过期限", en: "Signatures are valid, unused and within their deadline" },
  },
];
export const reasonText = (code: string | null) => (code ? (REASONS[code]?.[lang.get()] ?? code) : "—");

const WORDS: Record<string, Entry> = {
  // report states
  Anchored: { zh: "已存证", en: "Anchored" },
  Revoked: { zh: "已撤销", en: "Revoked" },
  Superseded: { zh: "已被取代", en: "Superseded" },
  // pledge statuses
  Pending: { zh: "待审", en: "Pending" },
  Registered: { zh: "已登记", en: "Registered" },
  Released: { zh: "已注销", en: "Released" },
  Enforced: { zh: "已实现质权（违约）", en: "Enforced (in default)" },
  Disposed: { zh: "已处置", en: "Disposed" },
  Refused: { zh: "已驳回", en: "Refused" },
  Withdrawn: { zh: "已撤回", en: "Withdrawn" },
  // asset kinds
  InventionPatent: { zh: "发明专利", en: "Invention patent" },
  UtilityModel: { zh: "实用新型", en: "Utility model" },
  Design: { zh: "外观设计", en: "Design" },
  Trademark: { zh: "商标", en: "Trademark" },
  Copyright: { zh: "著作权", en: "Copyright" },
  SoftwareCopyright: { zh: "软件著作权", en: "Software copyright" },
  GeographicalIndication: { zh: "地理标志", en: "Geographical indication" },
  PlantVariety: { zh: "植物新品种", en: "Plant variety" },
  DataRight: { zh: "数据知识产权", en: "Data right" },
  ICLayoutDesign: { zh: "集成电路布图设计", en: "IC layout design" },
  // events
  PledgeApplied: { zh: "提交登记申请", en: "Application submitted" },
  PledgeRegistered: { zh: "准予登记", en: "Registered" },
  PledgeRefused: { zh: "驳回申请", en: "Refused" },
  PledgeWithdrawn: { zh: "撤回申请", en: "Withdrawn" },
  PledgeReleased: { zh: "注销质押", en: "Released" },
  PledgeChanged: { zh: "变更登记", en: "Terms changed" },
  DefaultDeclared: { zh: "宣告违约", en: "Default declared" },
  DisposalRecorded: { zh: "记录处置", en: "Disposal recorded" },
  AssetNamedInPledge: { zh: "资产列入质押", en: "Asset named in a pledge" },
  // roles
  registrar: { zh: "登记机关", en: "Registration office" },
  pledgee: { zh: "银行（质权人）", en: "Bank (pledgee)" },
  evaluator: { zh: "评估机构", en: "Evaluator" },
  originator: { zh: "资产池发起人", en: "Originator" },
  investor: { zh: "投资人", en: "Investor" },
  auditor: { zh: "审计机构", en: "Auditor" },
};
export const word = (name: string | null) => (name ? (WORDS[name]?.[lang.get()] ?? name) : "—");

const locale = () => (lang.get() === "zh" ? "zh-CN" : "en-GB");

/** An integer amount in the smallest unit (fen for CNY) → "¥1,000,000.00". */
export function money(smallest: string | null, currency = "CNY"): string {
  if (smallest === null || !/^-?\d+$/.test(smallest)) return "—";
  const negative = smallest.startsWith("-");
  const digits = (negative ? smallest.slice(1) : smallest).padStart(3, "0");
  const decimal = `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  try {
    // A decimal string keeps every digit (no float rounding of large amounts).
    return new Intl.NumberFormat(locale(), { style: "currency", currency }).format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date or an instant, shown as a date ("2027年11月28日" / "28 Nov 2027"). */
export function date(when: string | null): string {
  if (!when) return "—";
  const d = CALENDAR_DATE.test(when) ? new Date(`${when}T00:00:00Z`) : new Date(when);
  if (isNaN(d.getTime())) return when;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: "long",
    timeZone: CALENDAR_DATE.test(when) ? "UTC" : undefined,
  }).format(d);
}
/** An instant with its time of day (calendar dates stay dates). */
export function dateTime(when: string | null): string {
  if (!when || CALENDAR_DATE.test(when)) return date(when);
  const d = new Date(when);
  if (isNaN(d.getTime())) return when;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short" }).format(d);
}
