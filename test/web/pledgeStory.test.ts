/**
 * The pledge story clicked through in Chromium by separate parties, each in its own browser context (its own
 * storage, its own keys): Bank A applies for a pledge of a patent by keyboard alone and sees the preflight; the
 * patentee, who has no organisation, opens the bank's signing link and signs with its own key in its browser; the
 * bank signs with its demo key and submits; the office registers and opens the printable notice with its QR code;
 * Bank B's collateral check shows the patent pledged to Bank A; Bank A releases it. Co-owners sign their links
 * with an injected EIP-1193 wallet and with an encrypted keystore; the office refuses an application and opens the
 * refusal notice. A second pledge under a risk-compensation scheme is declared in default and disposed of, with the
 * loss split per party. Every new screen is saved at 1280×800, 200 % zoom and 390 px under test-results/web/.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { HDNodeWallet, Mnemonic, encryptKeystoreJsonSync } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { chromium, type Browser, type Page } from "playwright-core";
import { deployGatewayFixture, openGateway, type GatewayFixture } from "../api/helpers/gatewayFixture";
import { indexFor } from "../api/helpers/sharedIndex";
import {
  anchorReport,
  application,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
  PRINCIPAL,
  YEAR,
} from "../api/helpers/pledgeParties";
import {
  ARTIFACTS,
  CHROMIUM,
  CHROMIUM_ARGS,
  demoWebApp,
  ensureWebBuilt,
  keepFailedScreen,
  listen,
  openFromMenu,
  screenshots,
  INBOX,
} from "./browser";

const sha256File = (path: string) => `0x${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
/** Hardhat's development mnemonic: the test chain's accounts, whose keys a party would hold in its own wallet. */
const devKey = (index: number) =>
  HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
    `m/44'/60'/0'/0/${index}`,
  );

describe("web app — the pledge story by its parties (Chromium)", function () {
  this.timeout(240_000);
  let f: GatewayFixture;
  let browser: Browser;
  let server: Server;
  let url: string;
  const pages: Page[] = [];
  const problems: string[] = [];
  const files = mkdtempSync(join(tmpdir(), "ipr-web-story-"));
  const reportFile = join(files, "评估报告-2026-0107.txt");
  const contractFile = join(files, "质押合同-2026-0107.txt");
  const evidenceFile = join(files, "违约证据.txt");
  const NUMBER = "ZL202510088888.8";
  let patentee: HDNodeWallet;
  let pledgeId: string;

  before(async () => {
    ensureWebBuilt();
    f = await openGateway();
    const { demo } = await loadFixture(deployGatewayFixture);
    ({ url, server } = await listen(demoWebApp(f.registry, f.dataDir, demo, await indexFor(f.deployment))));
    patentee = devKey(10);
    expect(patentee.address, "the patentee is the chain's account 10").to.equal(f.parties[0].address);

    writeFileSync(reportFile, "资产评估报告 2026-0107\n评估价值：3,000,000.00 元\n");
    writeFileSync(contractFile, "知识产权质押合同 2026-0107\n（无流质条款）\n");
    writeFileSync(evidenceFile, "逾期未还款的催收记录\n");
    const assetId = await recordPatent(f, NUMBER, [f.parties[0]]);
    await anchorReport(f, [assetId], readFileSync(reportFile, "utf8"));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A party's own browser context (its own storage: a separate person at a separate desk). */
  async function party(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(`${e.message} ${e.stack}`));
    pages.push(page);
    return page;
  }

  /** Sign in: every role lands on its inbox ("my work"); then open `screen` from the menu. */
  async function signIn(page: Page, name: string, screen: string) {
    await page.goto(`${url}/#/sign-in`);
    await page.getByRole("button", { name: new RegExp(name) }).click();
    await page.getByRole("heading", { level: 1, name: INBOX }).waitFor();
    await openFromMenu(page, screen);
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

  /** Tab until `id` has the focus (date fields take several Tabs); fails if it never comes in `limit` presses. */
  async function tabTo(page: Page, id: string, limit = 8) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      if ((await focusedId(page)) === id) return;
    }
    throw new Error(`Tab never reached #${id} (at #${await focusedId(page)})`);
  }

  /** The page forgets its key on reload: take the demo key again if the page asks who signs. */
  async function withDemoKey(page: Page) {
    await page.getByTestId("signing-terms").waitFor();
    const demoKey = page.getByRole("button", { name: /使用演示签名密钥/ });
    if (await demoKey.isVisible()) await demoKey.click();
  }

  afterEach(async function () {
    if (this.currentTest?.state === "failed") {
      for (const [i, page] of pages.entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `FAILED-story-${i}.png`), fullPage: true }).catch(() => {});
      }
    }
  });

  let bank: Page;
  let draftUrl: string;
  let link: string;

  it("Bank A fills the application by keyboard alone and sees every §4.2 rule before anyone signs", async () => {
    bank = await party();
    await signIn(bank, "Bank A", "押品查询");
    await bank.getByRole("navigation").getByRole("link", { name: "新建质押申请" }).click();
    await bank.getByRole("heading", { level: 1, name: "新建质押申请" }).waitFor();
    await screenshots(bank, "apply-empty");

    // From the heading, by Tab and typing only.
    await bank.getByRole("heading", { level: 1 }).focus();
    await tabTo(bank, "kind-0");
    await tabTo(bank, "number-0");
    await bank.keyboard.type(NUMBER);
    await bank.keyboard.press("Enter");
    const summary = bank.getByTestId("asset-summary");
    await summary.waitFor();
    expect(await summary.innerText()).to.include("状况良好");
    expect(await bank.getByTestId("pledgors").innerText()).to.include(patentee.address);
    await tabTo(bank, "debtor");
    await bank.keyboard.type("91440101MA5CXYZ12K");
    await tabTo(bank, "principal");
    await bank.keyboard.type("1,000,000.00");
    await tabTo(bank, "start-date");
    await tabTo(bank, "maturity-date");
    await tabTo(bank, "risk-scheme");
    await tabTo(bank, "forfeiture");
    await tabTo(bank, "invalidation-ack");
    await tabTo(bank, "contract-hash");
    await bank.keyboard.type(sha256File(contractFile));
    await tabTo(bank, "contract-file");
    await tabTo(bank, "report-hash");
    await bank.keyboard.type(sha256File(reportFile));
    await bank.getByTestId("report-verdict").getByText("有效").waitFor();
    await tabTo(bank, "report-file");
    await bank.keyboard.press("Tab");
    expect(await bank.evaluate(() => document.activeElement?.textContent)).to.equal("准备申请并预检");
    await screenshots(bank, "apply-filled");
    await bank.keyboard.press("Enter");

    await bank.getByRole("heading", { level: 2, name: "预检：现在提交会怎样" }).waitFor();
    draftUrl = bank.url();
    // (the asset's name arrives from the register a moment after the checklist)
    await bank.getByTestId("preflight").getByText(`发明专利 ${NUMBER}`).waitFor();
    const preflight = await bank.getByTestId("preflight").innerText();
    // Nobody has signed yet: the co-owner rule fails and names the patent; the asset rules pass.
    expect(preflight).to.match(/8\s+✗ 不通过/);
    expect(preflight).to.include(`共有资产缺少全体共有人的签名`);
    expect(preflight).to.include(`发明专利 ${NUMBER}`);
    expect(preflight).to.match(/2\s+✓ 通过/);
    expect(await bank.getByTestId("still-to-sign").innerText()).to.include("2");
    await bank.getByRole("button", { name: "生成签名链接" }).click();
    link = await bank.getByTestId("signing-link").inputValue();
    expect(link).to.match(new RegExp(`^${url}/#/sign/[0-9a-f]{64}$`));
    await screenshots(bank, "application-draft");
  });

  it("the patentee opens the link without signing in, reads the terms in words and signs with its own key", async () => {
    const holder = await party();
    const sent: string[] = [];
    holder.on("request", (r) => sent.push(`${r.headers()["authorization"] ?? ""} ${r.postData() ?? ""}`));
    await holder.goto(link);
    await holder.getByRole("heading", { level: 1, name: "签署知识产权质押申请" }).waitFor();
    const terms = await holder.getByTestId("signing-terms").innerText();
    expect(terms).to.include(`发明专利 ${NUMBER}`);
    expect(terms).to.include("Bank A (licensed lender)");
    expect(terms).to.include("91440101MA5CXYZ12K");
    expect(terms).to.include("¥1,000,000.00");
    expect(terms).to.include(sha256File(reportFile));
    expect(terms).to.match(/流质条款[^\n]*\n否/);
    await screenshots(holder, "sign-link");

    await holder.fill("#private-key", patentee.privateKey);
    await holder.getByRole("button", { name: "用这个密钥签名" }).click();
    await holder.getByRole("button", { name: "签名", exact: true }).click();
    await holder.getByTestId("link-signed").getByText("签名已提交").waitFor();
    // The key never left the page, and no API key was used.
    expect(sent.some((s) => s.includes(patentee.privateKey.slice(2)))).to.equal(false);
    expect(sent.every((s) => !s.startsWith("Bearer"))).to.equal(true);
    await screenshots(holder, "sign-link-signed");
  });

  it("Bank A sees the patentee's signature, signs as the bank in its browser and submits", async () => {
    await bank.goto(draftUrl);
    await bank.getByTestId(`signer-${patentee.address.toLowerCase()}`).getByText("已签名").waitFor();
    await bank.getByRole("button", { name: "以本行身份签名" }).click();
    await bank.getByRole("button", { name: /使用演示签名密钥/ }).click();
    await screenshots(bank, "consent-bank");
    await bank.getByRole("button", { name: "签名", exact: true }).click();
    await bank.getByTestId("preflight-summary").getByText("全部规则通过").waitFor();
    await bank.getByRole("button", { name: "提交登记申请" }).click();
    const submitted = bank.getByTestId("submitted");
    await submitted.waitFor();
    pledgeId = /#(\d+)/.exec(await submitted.innerText())![1];
    expect(await submitted.innerText()).to.include("待审");
    const onChain = await f.contracts.pledgeRegistry.pledgeOf(pledgeId);
    expect(onChain.principal).to.equal(PRINCIPAL);
    expect(onChain.pledgee).to.equal(f.signerOf["bank-a"].address);
    await screenshots(bank, "application-submitted");
  });

  it("the office registers it from its queue and opens the printable notice with the verify QR code", async () => {
    const office = await party();
    await signIn(office, "Registration", "待审登记");
    const card = office.getByTestId(`application-${pledgeId}`);
    await card.getByRole("button", { name: "准予登记" }).click();
    await card.getByRole("link", { name: "质押登记通知书" }).click();
    const notice = office.getByTestId("notice");
    await notice.waitFor();
    const onChain = await f.contracts.pledgeRegistry.pledgeOf(pledgeId);
    expect(await office.getByTestId("notice-number").innerText()).to.equal(onChain.registrationNumber.toString());
    const text = await notice.innerText();
    expect(text).to.include(`发明专利 ${NUMBER}`);
    expect(text).to.include(patentee.address);
    expect(text).to.include("¥1,000,000.00");
    expect(text).to.include(sha256File(reportFile));
    const registered = (await f.as("auditor").get(`/pledges/${pledgeId}`)).body.proof.registration;
    expect(text).to.include(registered.transactionHash);
    const qrUrl = await office.getByTestId("qr-url").innerText();
    expect(qrUrl).to.include(`${url}/#/verify?registration=${onChain.registrationNumber}`);
    expect(await notice.locator(".qr-code svg").count()).to.equal(1);
    await screenshots(office, "notice");
    await office.emulateMedia({ media: "print" });
    await office.screenshot({ path: join(ARTIFACTS, "notice-print.png"), fullPage: true });
    expect(await office.getByRole("banner").isVisible(), "the print has no app header").to.equal(false);
    await office.emulateMedia({ media: "screen" });
  });

  it("Bank B's collateral check shows the patent pledged to Bank A", async () => {
    const other = await party();
    await signIn(other, "Bank B", "押品查询");
    await other.fill("#official-number", NUMBER);
    await other.keyboard.press("Enter");
    const result = other.getByTestId("collateral-result");
    await result.waitFor();
    await result.getByText("Bank A (licensed lender)").first().waitFor(); // the names come with their own request
    const text = await result.innerText();
    expect(text).to.include("已出质");
    // The pledgee by its name, its full address on hover.
    expect(text).to.include("Bank A (licensed lender)");
    expect(await result.locator(`[title="${f.signerOf["bank-a"].address}"]`).count()).to.equal(1);
    expect(text).to.include("¥1,000,000.00");
  });

  it("Bank A releases the pledge, signing in its browser; the patent is free again", async () => {
    await bank.goto(`${url}/#/pledge/${pledgeId}`);
    await bank.getByTestId("pledge-status").getByText("已登记").waitFor();
    await screenshots(bank, "pledge-registered");
    await bank.getByRole("button", { name: "注销质押" }).click();
    await bank.getByRole("button", { name: "下一步：核对并签名" }).click();
    const terms = await bank.getByTestId("signing-terms").innerText();
    expect(terms).to.include("注销质押");
    expect(terms).to.include(pledgeId);
    await withDemoKey(bank);
    await bank.getByRole("button", { name: "签名并提交" }).click();
    await bank.getByTestId("action-result").getByText("已注销").waitFor();
    expect(Number((await f.contracts.pledgeRegistry.pledgeOf(pledgeId)).status)).to.equal(3);
    const free = (
      await f.as("bank-b").get(`/collateral/${(await f.contracts.pledgeRegistry.pledgedAssetsOf(pledgeId))[0]}`)
    ).body;
    expect(free.pledged).to.equal(false);
    await screenshots(bank, "pledge-released");
    await bank.goto(`${url}/#/pledges`);
    // The bank's pledges as the register holds them (GET /v1/pledges), and its drafts kept in this browser.
    const row = bank
      .getByTestId("bank-pledges")
      .locator("tr", { has: bank.getByRole("link", { name: `#${pledgeId}` }) });
    await row.waitFor();
    expect(await row.innerText()).to.include("已注销");
    expect(await row.innerText()).to.include(NUMBER);
    await screenshots(bank, "my-pledges");
  });

  it("co-owners sign their links with an injected EIP-1193 wallet and with an encrypted keystore file", async () => {
    const [, , first, second] = f.parties;
    const assetId = await recordPatent(f, "ZL202510077777.7", [first, second]);
    const reportId = await anchorReport(f, [assetId], "report for the co-owned patent");
    const prepared = await f
      .as("bank-a")
      .post("/pledges/applications", application(f, { assets: [assetId], pledgors: [first, second], reportId }));
    expect(prepared.status, JSON.stringify(prepared.body)).to.equal(201);
    const made = await f
      .as("bank-a")
      .post(`/pledges/applications/${prepared.body.draftId}/signing-links`, { signer: second.address });
    const wallet = devKey(13);
    expect(wallet.address).to.equal(second.address);

    // The wallet: window.ethereum in the page, its key in the test (as a browser extension would hold it).
    const coOwner = await party();
    const asked: string[] = [];
    await coOwner.exposeFunction("walletSign", async (method: string, params: string[]) => {
      asked.push(method);
      if (method === "eth_requestAccounts") return [wallet.address];
      const payload = JSON.parse(params[1]);
      delete payload.types.EIP712Domain;
      return wallet.signTypedData(payload.domain, payload.types, payload.message);
    });
    await coOwner.addInitScript(() => {
      const w = window as unknown as { walletSign: (m: string, p?: unknown[]) => Promise<unknown>; ethereum: object };
      w.ethereum = {
        request: ({ method, params }: { method: string; params?: unknown[] }) => w.walletSign(method, params ?? []),
      };
    });
    await coOwner.goto(`${url}${made.body.path}`);
    // In English this time: the same terms, in the other language.
    await coOwner.getByRole("button", { name: "切换到英文" }).click();
    await coOwner.getByRole("heading", { level: 1, name: "Sign an IP pledge application" }).waitFor();
    const terms = await coOwner.getByTestId("signing-terms").innerText();
    expect(terms).to.include("Invention patent ZL202510077777.7");
    expect(terms).to.include("Pledge application");
    await screenshots(coOwner, "sign-link-en");
    await coOwner.getByRole("button", { name: "Use the browser wallet" }).click();
    await coOwner.getByRole("button", { name: "Sign", exact: true }).click();
    await coOwner.getByTestId("link-signed").waitFor();
    expect(asked).to.deep.equal(["eth_requestAccounts", "eth_signTypedData_v4"]);
    const draft = (await f.as("bank-a").get(`/pledges/applications/${prepared.body.draftId}`)).body;
    const signed = draft.signers
      .filter((x: { signed: boolean }) => x.signed)
      .map((x: { address: string }) => x.address);
    expect(signed).to.deep.equal([second.address]);

    // The other co-owner loads its encrypted keystore file and types its password.
    const firstWallet = devKey(12);
    expect(firstWallet.address).to.equal(first.address);
    const keystore = join(files, "keystore.json");
    const account = { address: firstWallet.address, privateKey: firstWallet.privateKey };
    writeFileSync(keystore, encryptKeystoreJsonSync(account, "correct horse", { scrypt: { N: 1024 } }));
    const firstLink = await f
      .as("bank-a")
      .post(`/pledges/applications/${prepared.body.draftId}/signing-links`, { signer: first.address });
    const owner = await party();
    await owner.goto(`${url}${firstLink.body.path}`);
    await owner.setInputFiles("#key-file", keystore);
    await owner.fill("#keystore-password", "wrong");
    await owner.getByRole("button", { name: "用这个密钥签名" }).click();
    await owner.getByRole("alert").getByText("keystore 文件或密码不对").waitFor();
    await owner.fill("#keystore-password", "correct horse");
    await owner.getByRole("button", { name: "用这个密钥签名" }).click();
    await owner.getByRole("button", { name: "签名", exact: true }).click();
    await owner.getByTestId("link-signed").waitFor();
    const both = (await f.as("bank-a").get(`/pledges/applications/${prepared.body.draftId}`)).body;
    expect(both.signers.filter((x: { signed: boolean }) => x.signed)).to.have.length(2);
  });

  it("the office refuses an application and opens the refusal notice with the reason in words", async () => {
    const [, , , , holder] = f.parties;
    const assetId = await recordPatent(f, "ZL202510066666.6", [holder]);
    const reportId = await anchorReport(f, [assetId], "report for the refused pledge");
    const draft = await preparedAndSigned(f, application(f, { assets: [assetId], pledgors: [holder], reportId }), [
      holder,
      f.signerOf["bank-a"],
    ]);
    const submitted = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    const refusedId = submitted.body.pledgeId as string;

    const office = pages[2];
    await office.goto(`${url}/#/queue`);
    const card = office.getByTestId(`application-${refusedId}`);
    await card.getByRole("button", { name: "驳回" }).click();
    await card.locator(`#reason-${refusedId}`).selectOption("FORFEITURE_CLAUSE");
    await card.locator(`#note-${refusedId}`).fill("合同第 9 条：逾期不还则专利归银行所有");
    await card.getByRole("button", { name: "确认驳回" }).click();
    await card.getByRole("link", { name: "不予登记通知书" }).click();
    const reason = office.getByTestId("refusal-reason");
    await reason.waitFor();
    expect(await reason.innerText()).to.include("合同含流质条款");
    expect(await reason.innerText()).to.include("合同第 9 条");
    expect(await office.getByTestId("notice").innerText()).to.include(`第 ${refusedId} 号`);
    await screenshots(office, "notice-refusal");
  });

  it("declares default after maturity and records the disposal, showing the loss split per party", async () => {
    const [, owner] = f.parties;
    const assetId = await recordPatent(f, "ZL202510099999.9", [owner]);
    const reportId = await anchorReport(f, [assetId], "report for the scheme pledge");
    const defaulted = await registeredPledge(f, { assets: [assetId], pledgors: [owner], reportId }, "bank-a", {
      riskScheme: "zhongshan",
    });
    await time.increase(YEAR + 86_400);

    await bank.goto(`${url}/#/pledge/${defaulted}`);
    await bank.getByRole("button", { name: "宣告违约" }).click();
    await bank.setInputFiles("#evidence-file", evidenceFile);
    await bank.getByRole("button", { name: "下一步：核对并签名" }).click();
    await withDemoKey(bank);
    await bank.getByRole("button", { name: "签名并提交" }).click();
    await bank.getByTestId("pledge-status").getByText("已实现质权（违约）").waitFor();

    await bank.getByRole("button", { name: "记录处置" }).click();
    await bank.fill("#proceeds", "400,000.00");
    await bank.fill("#transferee", f.parties[5].address);
    await bank.setInputFiles("#evidence-file", evidenceFile);
    const preview = bank.getByTestId("loss-preview");
    await preview.waitFor();
    expect(await preview.innerText()).to.include("¥600,000.00");
    await screenshots(bank, "disposal-form");
    await bank.getByRole("button", { name: "下一步：核对并签名" }).click();
    await withDemoKey(bank);
    await bank.getByRole("button", { name: "签名并提交" }).click();
    const split = bank.getByTestId("loss-sharing");
    await split.waitFor();
    const recorded = (await f.as("bank-a").get(`/pledges/${defaulted}`)).body.lossSharing;
    const text = await split.innerText();
    expect(recorded.loss).to.equal((PRINCIPAL - 40_000_000n).toString());
    for (const p of recorded.parties) expect(text).to.include(p.name);
    const yuan = (fen: string) =>
      `¥${(BigInt(fen) / 100n).toLocaleString("en-US")}.${(BigInt(fen) % 100n).toString().padStart(2, "0")}`;
    expect(text).to.include(yuan(recorded.bankShare));
    for (const p of recorded.parties) expect(text).to.include(yuan(p.share));
    await screenshots(bank, "pledge-disposed");
  });

  it("logs no error in any party's browser console", () => {
    expect(problems).to.deep.equal([]);
  });
});
