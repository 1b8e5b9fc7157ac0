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
  // ── the bank's pledges, signing in the browser, signing links, notices (webbank) ──
  myPledges: { zh: "我的质押", en: "My pledges" },
  // the landing page's tiles are named by screen
  pledges: { zh: "我的质押", en: "My pledges" },
  apply: { zh: "新建质押申请", en: "New application" },
  newApplication: { zh: "新建质押申请", en: "New application" },
  applyIntro: {
    zh: "按编号选择资产（显示其状况和权利人），填写借款条件和文件。提交前会逐条预检登记规则，再由各方在浏览器中签名。",
    en: "Pick the assets by number (their standing and holders are shown), fill in the loan and the documents. Every registration rule is checked before anyone signs; then each party signs in its own browser.",
  },
  lookUp: { zh: "查询", en: "Look up" },
  remove: { zh: "移除", en: "Remove" },
  addAsset: { zh: "再加一项资产", en: "Add another asset" },
  lookUpEveryAsset: { zh: "请先查到每一项资产", en: "look up every asset first" },
  assetStatus: { zh: "法律状态", en: "Legal status" },
  feesPaidUntil: { zh: "年费缴至", en: "Fees paid until" },
  expires: { zh: "保护期届满", en: "Expires" },
  holders: { zh: "权利人（份额）", en: "Holders (shares)" },
  pledgorsAre: {
    zh: "出质人即上述资产的全体登记权利人；每一位都要签名。",
    en: "The pledgors are every recorded holder of these assets; each of them must sign.",
  },
  loanTerms: { zh: "借款与担保条件", en: "Loan and security" },
  debtor: { zh: "债务人（统一社会信用代码或名称）", en: "Debtor (credit code or name)" },
  debtorHelp: { zh: "最多 31 个字节（约 10 个汉字）。", en: "At most 31 bytes." },
  principalYuan: { zh: "担保主债权金额（元）", en: "Secured amount (yuan)" },
  startDate: { zh: "债务起始日", en: "Loan starts on" },
  loanTerm: { zh: "债务期间", en: "Loan term" },
  riskScheme: { zh: "风险补偿方案", en: "Risk-compensation scheme" },
  none: { zh: "无", en: "None" },
  forfeitureClause: {
    zh: "合同含流质条款（不还款则资产直接归质权人）",
    en: "The contract has a forfeiture clause (the IP falls to the bank if unpaid)",
  },
  invalidationAck: {
    zh: "各方知悉资产正处于无效宣告程序中",
    en: "The parties know the asset is under invalidation proceedings",
  },
  documents: { zh: "文件", en: "Documents" },
  hashedHere: {
    zh: "文件只在本机计算 SHA-256 摘要，不会上传。",
    en: "Files are only fingerprinted (SHA-256) here; they are not uploaded.",
  },
  contractHash: { zh: "质押合同（摘要）", en: "Pledge contract (fingerprint)" },
  orChooseFile: { zh: "或选择文件", en: "or choose the file" },
  stillMissing: { zh: "还缺", en: "Still missing" },
  preparing: { zh: "正在准备申请并预检…", en: "Preparing the application and checking the rules…" },
  prepareApplication: { zh: "准备申请并预检", en: "Prepare and check" },
  draftNo: { zh: "草稿号", en: "Draft" },
  preflightTitle: { zh: "预检：现在提交会怎样", en: "Preflight: if it were submitted now" },
  preflightPasses: { zh: "全部规则通过，可以提交。", en: "Every rule passes: it can be submitted." },
  preflightFails: {
    zh: "有规则未通过（缺少的签名也在其中）。",
    en: "Some rules fail (missing signatures count too).",
  },
  whoSigns: { zh: "谁来签名", en: "Who signs" },
  everyoneSigned: { zh: "各方均已签名。", en: "Everyone has signed." },
  stillToSign: { zh: "尚待签名", en: "Still to sign" },
  party: { zh: "当事人", en: "Party" },
  role: { zh: "身份", en: "Role" },
  signature: { zh: "签名", en: "Signature" },
  signed: { zh: "已签名", en: "Signed" },
  signAsBank: { zh: "以本行身份签名", en: "Sign as the bank" },
  makeLink: { zh: "生成签名链接", en: "Make a signing link" },
  signingLink: { zh: "签名链接", en: "Signing link" },
  linkCopied: { zh: "签名链接（已复制）", en: "Signing link (copied)" },
  linkHelp: {
    zh: "把链接交给该当事人：只能查看并签署本申请，不需要账号。",
    en: "Give this link to the party: it shows and signs this application only, no account needed.",
  },
  submitApplication: { zh: "提交登记申请", en: "Submit the application" },
  submitWhenClear: {
    zh: "所有规则通过（各方签齐）后才能提交。",
    en: "It can be submitted once every rule passes (everyone has signed).",
  },
  submittedAs: { zh: "已提交，质押编号", en: "Submitted as pledge" },
  openPledge: { zh: "打开质押", en: "Open the pledge" },
  // signing
  youSign: { zh: "您将签署的内容", en: "What you sign" },
  signWhat: { zh: "签署事项", en: "Act" },
  signer: { zh: "签名人", en: "Signer" },
  signUntil: { zh: "签名有效期至", en: "Signature valid until" },
  signedFor: { zh: "登记簿合约", en: "Register contract" },
  chain: { zh: "链", en: "Chain" },
  fingerprint: { zh: "签名摘要 (EIP-712)", en: "Fingerprint (EIP-712)" },
  yes: { zh: "是", en: "Yes" },
  no: { zh: "否", en: "No" },
  keyStaysHere: {
    zh: "私钥只保存在本页面内存中，不会发送给任何人；刷新页面即清除。网关只收到签名。",
    en: "The private key stays in this page's memory and is sent nowhere; reloading forgets it. The gateway receives only the signature.",
  },
  useDemoKey: { zh: "使用演示签名密钥（仅限本地演示链）", en: "Use the demo signing key (local demo chain only)" },
  noDemoKey: { zh: "这个地址没有演示密钥。", en: "This address has no demo key." },
  useWallet: { zh: "使用浏览器钱包", en: "Use the browser wallet" },
  privateKey: { zh: "私钥（粘贴）", en: "Private key (paste)" },
  privateKeyHelp: { zh: "0x 加 64 位十六进制；或选择密钥文件。", en: "0x and 64 hex digits; or choose a key file." },
  keyFile: { zh: "密钥文件（私钥文本或加密 keystore）", en: "Key file (private key text or encrypted keystore)" },
  keystoreLoaded: { zh: "（已载入 keystore 文件）", en: "(keystore file loaded)" },
  keystorePassword: { zh: "keystore 密码", en: "Keystore password" },
  useThisKey: { zh: "用这个密钥签名", en: "Use this key" },
  openingKey: { zh: "正在打开密钥…", en: "Opening the key…" },
  badKey: { zh: "这不是私钥：应为 64 位十六进制。", en: "Not a private key: expected 64 hex digits." },
  badKeystore: { zh: "keystore 文件或密码不对。", en: "Wrong keystore file or password." },
  signingAs: { zh: "签名人", en: "Signing as" },
  source_key: { zh: "本页密钥", en: "key in this page" },
  source_demo: { zh: "演示密钥", en: "demo key" },
  source_wallet: { zh: "浏览器钱包", en: "browser wallet" },
  forgetKey: { zh: "换一个密钥", en: "Use another key" },
  notTheSigner: {
    zh: "这个密钥不是应签名的一方。应由此地址签名：",
    en: "This key is not the party asked to sign. Expected:",
  },
  problem_unknownType: { zh: "未知的签名类型，拒绝签名。", en: "An unknown kind of request: not signed." },
  problem_typesDiffer: {
    zh: "请求的结构与登记簿的定义不一致，拒绝签名。",
    en: "The request's structure differs from the register's: not signed.",
  },
  problem_wrongDomain: {
    zh: "请求不是给本登记簿的，拒绝签名。",
    en: "The request is not for this register: not signed.",
  },
  signNow: { zh: "签名", en: "Sign" },
  signAndSend: { zh: "签名并提交", en: "Sign and send" },
  signing: { zh: "正在签名并提交…", en: "Signing and sending…" },
  // signing link
  signLinkTitle: { zh: "签署知识产权质押申请", en: "Sign an IP pledge application" },
  signLinkIntro: {
    zh: "{bank} 请您作为权利人签署以下质押申请。请核对条款；签名在您的浏览器中完成。",
    en: "{bank} asks you, as a holder, to sign the pledge application below. Check the terms; you sign in your own browser.",
  },
  thanksSigned: { zh: "签名已提交，谢谢。", en: "Your signature is in. Thank you." },
  alreadySigned: { zh: "您已签过名。", en: "You have signed already." },
  bankWillSubmit: {
    zh: "各方签齐后，{bank} 将提交登记申请。",
    en: "Once everyone has signed, {bank} submits the application.",
  },
  tooLateToSign: { zh: "申请已提交，无需再签。", en: "The application is submitted; no signature is needed now." },
  askBankForLink: { zh: "请向银行索取新的签名链接。", en: "Ask the bank for a new signing link." },
  // the pledge and its later steps
  closedAt: { zh: "结束时间", en: "Closed on" },
  release: { zh: "注销质押", en: "Release" },
  declareDefault: { zh: "宣告违约", en: "Declare default" },
  recordDisposal: { zh: "记录处置", en: "Record disposal" },
  releaseHelp: {
    zh: "注销后资产立即解除质押。由本行签名。",
    en: "Releasing frees the assets at once. The bank signs.",
  },
  defaultHelp: {
    zh: "到期前宣告违约须附违约事件的证据文件。由本行签名。",
    en: "Before maturity, a default needs evidence of the default event. The bank signs.",
  },
  disposalHelp: {
    zh: "记录处置结果；未收回的损失按风险补偿方案分担。由本行签名。",
    en: "Record how the assets were disposed of; the unrecovered loss is shared by the risk-compensation scheme. The bank signs.",
  },
  evidence: { zh: "证据文件（摘要）", en: "Evidence (fingerprint)" },
  evidenceOptional: { zh: "证据文件（摘要，到期后可不填）", en: "Evidence (fingerprint; optional after maturity)" },
  disposalMethod: { zh: "处置方式", en: "Disposal method" },
  proceeds: { zh: "处置所得", en: "Proceeds" },
  proceedsYuan: { zh: "处置所得（元）", en: "Proceeds (yuan)" },
  transferee: { zh: "受让人地址", en: "Transferee address" },
  loss: { zh: "损失", en: "Loss" },
  lossSharing: { zh: "损失分担（登记簿记录）", en: "Loss sharing (as recorded)" },
  lossPreview: { zh: "损失分担预估", en: "Loss sharing (preview)" },
  lossPreviewHelp: {
    zh: "按方案比例和单笔上限预估；年度上限由登记簿核定，以记录为准。",
    en: "By the scheme's shares and per-loan caps; the register applies the yearly caps, and its record is final.",
  },
  share: { zh: "分担金额", en: "Share" },
  theBank: { zh: "本行（质权人）", en: "The bank (pledgee)" },
  noSchemeBankBears: { zh: "无风险补偿方案：损失由本行全部承担", en: "No scheme: the bank bears the whole loss of" },
  continueToSign: { zh: "下一步：核对并签名", en: "Next: check and sign" },
  // notices
  registrationNotice: { zh: "质押登记通知书", en: "Registration notice" },
  refusalNotice: { zh: "不予登记通知书", en: "Refusal notice" },
  noticeIssuer: { zh: "知识产权质押登记机关", en: "IP pledge registration office" },
  registrationText: {
    zh: "经审查，下列知识产权质押符合登记条件，准予登记。",
    en: "Having examined it, the office registers the IP pledge below.",
  },
  refusalText: {
    zh: "经审查，第 {id} 号质押登记申请不符合登记条件，不予登记。理由如下：",
    en: "Having examined it, the office refuses pledge application no. {id}, for the reason below:",
  },
  refusedOn: { zh: "驳回日期", en: "Refused on" },
  otherReason: { zh: "其他理由", en: "Another reason" },
  notRegisteredYet: { zh: "该质押尚未登记。", en: "This pledge is not registered yet." },
  print: { zh: "打印", en: "Print" },
  qrLabel: { zh: "公开核验二维码", en: "QR code of the public verify page" },
  qrCaption: {
    zh: "扫码打开公开核验页面，无需登录即可核对本通知书。",
    en: "Scan to open the public verify page and check this notice, no sign-in needed.",
  },
  noticeFoot: {
    zh: "本通知书的事实均记录在区块链登记簿上，可凭上述交易与区块核验。",
    en: "Every fact of this notice is recorded on the blockchain register and can be checked by the transaction and block above.",
  },
  // the bank's list
  startedHere: { zh: "在本浏览器中发起的申请", en: "Applications started in this browser" },
  startedOn: { zh: "发起时间", en: "Started" },
  nothingStarted: { zh: "还没有。", en: "None yet." },
  startedHereHelp: {
    zh: "此列表只保存在本浏览器中；其他质押可按编号打开。",
    en: "This list is kept in this browser only; open any other pledge by its number.",
  },
  // ── end of the webbank block ──
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
  // signer roles, pledge actions, disposal methods, typed data (webbank)
  pledgor: { zh: "出质人", en: "Pledgor" },
  newPledgee: { zh: "新质权人", en: "New pledgee" },
  PledgeApplication: { zh: "质押登记申请", en: "Pledge application" },
  PledgeRelease: { zh: "注销质押", en: "Release of the pledge" },
  PledgeDefault: { zh: "宣告违约", en: "Declaration of default" },
  PledgeDisposal: { zh: "记录处置", en: "Record of disposal" },
  PledgeChange: { zh: "变更登记", en: "Change of terms" },
  PledgeWithdrawal: { zh: "撤回申请", en: "Withdrawal" },
  PledgeEnforced: { zh: "宣告违约", en: "Default declared" },
  PledgeDisposed: { zh: "记录处置", en: "Disposal recorded" },
  LossShareRecorded: { zh: "记录损失分担", en: "Loss share recorded" },
  LossAllocated: { zh: "损失分配完成", en: "Loss allocated" },
  Transfer: { zh: "转让", en: "Transfer" },
  ReverseLicence: { zh: "反向许可", en: "Reverse licence" },
  DebtToEquity: { zh: "债转股", en: "Debt to equity" },
  Applied: { zh: "申请中", en: "Applied for" },
  Granted: { zh: "已授权", en: "Granted" },
  Lapsed: { zh: "已失效", en: "Lapsed" },
  Invalidated: { zh: "已被宣告无效", en: "Invalidated" },
  OwnershipDispute: { zh: "权属纠纷冻结", en: "Frozen: ownership dispute" },
  PreservationOrder: { zh: "法院保全冻结", en: "Frozen: court preservation order" },
  // ── end of the webbank words ──
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
