/**
 * The web app in Debian's Chromium against a real gateway on the in-process chain: the public verify page with a
 * real file, the demo sign-in picker, a bank's collateral and bulk checks (with the CSV), the office's queue
 * (register with proof, refuse with a reason code), keyboard-only use of a form, and the language switch. Every
 * screen is saved at 1280×800 and 390 px under test-results/web/.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { BrowserContext, Page } from "playwright-core";
import { deployGatewayFixture, openGateway, type GatewayFixture } from "../api/helpers/gatewayFixture";
import { indexFor } from "../api/helpers/sharedIndex";
import {
  anchorReport,
  application,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
} from "../api/helpers/pledgeParties";
import {
  demoWebApp,
  ensureWebBuilt,
  keepFailedScreen,
  launchBrowser,
  listen,
  screenshots,
  INBOX,
  signInFromPicker,
} from "./browser";

const sha256File = (path: string) => `0x${createHash("sha256").update(readFileSync(path)).digest("hex")}`;

describe("web app (Chromium)", function () {
  this.timeout(180_000);
  let f: GatewayFixture;
  let browser: BrowserContext;
  let server: Server;
  let url: string;
  let page: Page;
  const consoleErrors: string[] = [];
  const failedResponses: string[] = [];
  const files = mkdtempSync(join(tmpdir(), "ipr-web-files-"));
  const anchoredFile = join(files, "评估报告-2026-0042.txt");
  const strangerFile = join(files, "not-a-report.txt");
  let pledged: { assetId: string; pledgeId: string };
  let pendingOk: string;
  let pendingFrozen: string;

  before(async () => {
    ensureWebBuilt();
    f = await openGateway();
    const { demo } = await loadFixture(deployGatewayFixture);
    // With the read model, as `npm start` runs it (the bank's inbox reads its pledges from it).
    ({ url, server } = await listen(demoWebApp(f.registry, f.dataDir, demo, await indexFor(f.deployment))));

    // A registered pledge on a report whose file the verify page is given.
    writeFileSync(anchoredFile, "资产评估报告 2026-0042\nValue: 2,500,000.00 CNY\n");
    writeFileSync(strangerFile, "a file the register never saw\n");
    const [holder, second, third] = f.parties;
    const a = await recordPatent(f, "ZL202110012345.6", [holder]);
    const report = await anchorReport(f, [a], readFileSync(anchoredFile, "utf8"));
    pledged = {
      assetId: a,
      pledgeId: await registeredPledge(f, { assets: [a], pledgors: [holder], reportId: report }),
    };

    // Two pending applications: one that passes every rule, one whose asset is frozen after it was submitted.
    const pending = async (number: string, wallet: typeof holder) => {
      const id = await recordPatent(f, number, [wallet]);
      const reportId = await anchorReport(f, [id]);
      const draft = await preparedAndSigned(f, application(f, { assets: [id], pledgors: [wallet], reportId }), [
        wallet,
        f.signerOf["bank-a"],
      ]);
      const submitted = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
      expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
      return { assetId: id, pledgeId: submitted.body.pledgeId as string };
    };
    pendingOk = (await pending("ZL202210054321.0", second)).pledgeId;
    const frozen = await pending("ZL202310099999.9", third);
    pendingFrozen = frozen.pledgeId;
    const freeze = await f
      .as("registration-office")
      .post(`/assets/${frozen.assetId}/freeze`, { freeze: "PreservationOrder" });
    expect(freeze.status, JSON.stringify(freeze.body)).to.equal(200);

    browser = await launchBrowser();
    page = browser.pages()[0] ?? (await browser.newPage());
    // Chromium logs every non-2xx fetch as a console error: those are checked as responses instead.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) failedResponses.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
  });

  // A failed test leaves its screen behind, to look at.
  afterEach(function () {
    return keepFailedScreen(this.currentTest, page);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  /** Sign in from the demo picker (signing out first); the role's landing screen opens. */
  const signInAs = async (name: string, lands: string) => {
    await signInFromPicker(page, url, name, lands);
    expect(await page.getByRole("banner").innerText()).to.include(name);
  };

  it("serves the app at / with nothing from another origin, Chinese first; the API docs stay at /v1/docs", async () => {
    const origins = new Set<string>();
    page.on("request", (r) => origins.add(new URL(r.url()).origin));
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "登录" }).waitFor();
    expect(await page.getAttribute("html", "lang")).to.equal("zh-CN");
    expect([...origins]).to.deep.equal([url]);
    // A wrong key is refused in words, by keyboard alone.
    await page.getByRole("button", { name: "登录", exact: true }).waitFor();
    await page.focus("#api-key");
    await page.keyboard.type("ipr_not-a-key");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").getByText("密钥无效").waitFor();
    await screenshots(page, "sign-in-refused");
    await page.fill("#api-key", "");
    const docs = await page.request.get(`${url}/v1/docs`);
    expect(docs.status()).to.equal(200);
    await screenshots(page, "sign-in");
  });

  it("verifies a real file on the public page without sign-in: anchored, valid, by whom, with its proof", async () => {
    const expected = sha256File(anchoredFile);
    const onChain = await f.contracts.valuationRegistry.reportOf(expected);
    const sent: string[] = [];
    page.on("request", (r) => sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
    await page.goto(`${url}/#/verify`);
    await page.getByText("文件不会离开您的浏览器").waitFor();
    await page.setInputFiles("#report-file", anchoredFile);
    const result = page.getByTestId("verify-result");
    await result.waitFor();
    const text = await result.innerText();
    expect(text).to.include("已存证");
    expect(text).to.include("有效");
    expect(text).to.include(expected);
    expect(text).to.include(f.signerOf.evaluator.address);
    expect(onChain[0].evaluator).to.equal(f.signerOf.evaluator.address);
    // Only the hash went to the gateway, never the file's bytes.
    const content = readFileSync(anchoredFile, "utf8");
    expect(sent.some((s) => s.includes(content.slice(0, 10)))).to.equal(false);
    expect(sent.some((s) => s.includes(`/v1/public/valuations/${expected}`))).to.equal(true);
    await screenshots(page, "verify-anchored");

    await page.setInputFiles("#report-file", strangerFile);
    await page.getByTestId("verify-result").getByText(sha256File(strangerFile)).waitFor();
    expect(await page.getByTestId("verify-result").innerText()).to.include("未找到");
    await screenshots(page, "verify-not-found");
  });

  it("signs a bank in from the demo picker onto its inbox ('my work'), with the bank's menu", async () => {
    await signInAs("Bank A", INBOX);
    await screenshots(page, "landing-bank");
    const menu = await page.getByRole("navigation").innerText();
    expect(menu).to.include("押品查询");
    expect(menu).to.include("押品监控");
    expect(menu).not.to.include("待审登记");
  });

  it("checks a registered pledge's collateral by keyboard alone: pledged, to whom, how much, on which report", async () => {
    await page.goto(`${url}/#/collateral`);
    await page.getByRole("heading", { level: 1, name: "押品查询" }).waitFor();
    // The new screen's heading holds the focus as soon as it shows: the keyboard starts there.
    expect(await page.evaluate(() => document.activeElement?.tagName)).to.equal("H1");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("asset-kind");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("official-number");
    await page.keyboard.type("ZL202110012345.6");
    await page.keyboard.press("Enter");
    const result = page.getByTestId("collateral-result");
    await result.waitFor();
    await result.getByText("Bank A (licensed lender)").first().waitFor(); // the names come with their own request
    const text = await result.innerText();
    const pledge = (await f.as("auditor").get(`/pledges/${pledged.pledgeId}`)).body;
    const registration = pledge.history.find((e: { event: string }) => e.event === "PledgeRegistered");
    expect(text).to.include("已出质");
    // The pledgee by its name, its full address on hover.
    expect(text).to.include("Bank A (licensed lender)");
    expect(await result.locator(`[title="${f.signerOf["bank-a"].address}"]`).count()).to.equal(1);
    expect(text).to.include("¥1,000,000.00"); // 100,000,000 fen
    expect(text).to.include("有效"); // the report still holds
    expect(text).to.include(registration.transactionHash);
    expect(text).to.include("准予登记"); // the history, in words
    await screenshots(page, "collateral");

    // The valuation report's link opens the verify page on that report.
    await result.getByRole("link").first().click();
    await page
      .getByTestId("verify-result")
      .getByRole("heading", { name: /已存证/ })
      .waitFor();
  });

  it("bulk-checks a pasted list into a table and a UTF-8 CSV with BOM that defuses formulas", async () => {
    await page.goto(`${url}/#/bulk`);
    await page.fill("#bulk-list", 'ZL202110012345.6\nInventionPatent,ZL202210054321.0\n=HYPERLINK("x")\n');
    await page.getByRole("button", { name: "全部查询" }).click();
    await page.getByText("3/3").waitFor();
    const rows = await page.getByTestId("bulk-table").locator("tbody tr").allInnerTexts();
    expect(rows[0]).to.include("已出质");
    expect(rows[1]).to.include("未出质"); // pending is not pledged yet
    expect(rows[2]).to.include("登记簿上没有这项资产");
    await screenshots(page, "bulk");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "下载 CSV" }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[1].split(",").slice(0, 3)).to.deep.equal(['"InventionPatent"', '"ZL202110012345.6"', '"pledged"']);
    expect(lines[1]).to.include('"100000000"');
    expect(lines[3]).to.include(`"'=HYPERLINK(""x"")"`);
  });

  it("shows the office's queue rule by rule, registers one application with its proof and refuses the other", async () => {
    await signInAs("Registration Office", "待审登记");
    const ok = page.getByTestId(`application-${pendingOk}`);
    const frozen = page.getByTestId(`application-${pendingFrozen}`);
    await ok.waitFor();
    expect(await ok.innerText()).to.include("全部规则通过");
    await ok.getByText("ZL202210054321.0").waitFor(); // the asset by its number, not its id
    expect(await frozen.locator("tr.ko").innerText()).to.include("冻结");
    expect(await frozen.locator("tr.ko").count()).to.equal(1);
    await screenshots(page, "queue");

    await ok.getByRole("button", { name: "准予登记" }).click();
    await ok.getByRole("status").waitFor({ timeout: 30_000 });
    const shown = await ok.getByRole("status").innerText();
    const history = (await f.as("auditor").get(`/pledges/${pendingOk}`)).body;
    expect(history.status).to.equal("Registered");
    const registered = history.history.find((e: { event: string }) => e.event === "PledgeRegistered");
    expect(shown).to.include("已登记");
    expect(shown).to.include(registered.transactionHash);

    await frozen.getByRole("button", { name: "驳回" }).click();
    expect(await frozen.locator("select").inputValue()).to.equal("ASSET_FROZEN");
    await screenshots(page, "queue-refusing");
    await frozen.getByRole("button", { name: "确认驳回" }).click();
    await frozen.getByRole("status").waitFor({ timeout: 30_000 });
    expect(await frozen.getByRole("status").innerText()).to.include("已驳回");
    expect((await f.as("auditor").get(`/pledges/${pendingFrozen}`)).body.status).to.equal("Refused");
    await screenshots(page, "queue-decided");
  });

  it("logs no error in the browser's console on any screen; the only failed request is the unknown asset", () => {
    expect(consoleErrors).to.deep.equal([]);
    expect(failedResponses).to.deep.equal(["401 /v1/session", "404 /v1/assets"]);
  });

  it("switches to English and back, keeping the screen", async () => {
    await page.goto(`${url}/#/`);
    await screenshots(page, "home-office");
    await page.goto(`${url}/#/verify`);
    await page.getByRole("button", { name: "切换到英文" }).click();
    await page.getByRole("heading", { level: 1, name: "Public verification" }).waitFor();
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    expect(await page.getByRole("navigation").innerText()).to.include("Registration queue");
    await screenshots(page, "verify-english");
    await page.getByRole("button", { name: "Switch to Chinese" }).click();
    await page.getByRole("heading", { level: 1, name: "公开核验" }).waitFor();
  });
});
