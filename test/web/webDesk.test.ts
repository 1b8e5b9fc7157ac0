/**
 * The desk in Chromium: every role lands on its "my work" inbox after signing in. Bank A's inbox lists the draft it
 * has still to sign (linked to its signing screen) and its pledge maturing within 30 days; its watchlist flags the
 * patent the office froze through the API (with the freeze's date) and the pledge near maturity, and opens the asset's
 * timeline. The office's inbox lists the application to decide with its working-day countdown. Addresses of known
 * organisations read as their names. Each new screen is saved in Chinese and English at 1280×800, 200 % zoom and 390 px.
 */
import { expect } from "chai";
import type { Server } from "node:http";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { chromium, type Browser, type Page } from "playwright-core";
import { deployGatewayFixture, openGateway, type GatewayFixture } from "../api/helpers/gatewayFixture";
import { indexFor } from "../api/helpers/sharedIndex";
import {
  anchorReport,
  application,
  iso,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
  DAY,
} from "../api/helpers/pledgeParties";
import {
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

const HOUR = 3_600_000;
/** A date as the app writes it in Chinese ("2026年11月28日"), in this machine's time zone like the browser's. */
const zhDate = (ms: number) => new Intl.DateTimeFormat("zh-CN", { dateStyle: "long" }).format(new Date(ms));

describe("web app — the desk: my work, the bank's watchlist, names for addresses (Chromium)", function () {
  this.timeout(240_000);
  let f: GatewayFixture;
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const problems: string[] = [];
  const ids = { near: "", frozen: "", pending: "", draft: "", frozenAsset: "" };
  let freezeTime = 0;
  let submittedAt = 0;

  before(async () => {
    ensureWebBuilt();
    f = await openGateway();
    const { demo } = await loadFixture(deployGatewayFixture);
    // With the read model, as `npm start` runs it: the bank's pledge list is read from it.
    ({ url, server } = await listen(demoWebApp(f.registry, f.dataDir, demo, await indexFor(f.deployment))));
    const [holder, second, third] = f.parties;
    const pledge = async (number: string, wallet: typeof holder, overrides = {}) => {
      const assetId = await recordPatent(f, number, [wallet]);
      const reportId = await anchorReport(f, [assetId]);
      return {
        assetId,
        pledgeId: await registeredPledge(f, { assets: [assetId], pledgors: [wallet], reportId }, "bank-a", overrides),
      };
    };
    // A pledge maturing in 20 days; another one whose patent the office freezes after registration.
    ids.near = (await pledge("ZL202610020001.1", holder, { maturityDate: iso(f.now + 20n * BigInt(DAY)) })).pledgeId;
    const frozen = await pledge("ZL202610020002.2", second);
    ids.frozen = frozen.pledgeId;
    ids.frozenAsset = frozen.assetId;
    const freeze = await f
      .as("registration-office")
      .post(`/assets/${frozen.assetId}/freeze`, { freeze: "OwnershipDispute" });
    expect(freeze.status, JSON.stringify(freeze.body)).to.equal(200);
    freezeTime = Number((await f.registry.provider.getBlock(freeze.body.proof.blockNumber))!.timestamp) * 1000;

    // An application submitted to the office, not decided yet; and a draft Bank A has not signed.
    const third1 = await recordPatent(f, "ZL202610020003.3", [third]);
    const report3 = await anchorReport(f, [third1]);
    const body3 = application(f, { assets: [third1], pledgors: [third], reportId: report3 });
    const signed = await preparedAndSigned(f, body3, [third, f.signerOf["bank-a"]]);
    const submitted = await f.as("bank-a").post(`/pledges/applications/${signed.draftId}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    ids.pending = submitted.body.pledgeId;
    submittedAt = Number((await f.registry.provider.getBlock(submitted.body.proof.blockNumber))!.timestamp) * 1000;
    ids.draft = (await preparedAndSigned(f, body3, [])).draftId;

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
    // The browser's clock is the chain's (other suites move the chain's clock): maturities and countdowns count from it.
    const chainNow = Number((await f.registry.provider.getBlock("latest"))!.timestamp) * 1000;
    await context.clock.setFixedTime(new Date(chainNow));
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(`${e.message} ${e.stack}`));
  });

  afterEach(function () {
    return keepFailedScreen(this.currentTest, page);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    expect(problems, "no script errors in the page").to.deep.equal([]);
  });

  async function signIn(name: string) {
    await page.goto(`${url}/#/`);
    const signOut = page.getByRole("button", { name: /^(退出|Sign out)$/ });
    if (await signOut.isVisible()) await signOut.click();
    await page.goto(`${url}/#/sign-in`);
    await page.getByRole("button", { name: new RegExp(name) }).click();
    await page.getByRole("heading", { level: 1, name: INBOX }).waitFor();
  }

  /** The same screen in English, saved too, and back to Chinese. */
  async function inEnglish(name: string, heading: string) {
    await page.getByRole("button", { name: "切换到英文" }).click();
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    await screenshots(page, `${name}-en`);
    await page.getByRole("button", { name: "Switch to Chinese" }).click();
  }

  it("lands Bank A on its inbox: the draft it must sign (opening its signing screen) and the pledge maturing soon", async () => {
    await signIn("Bank A");
    const draft = page.getByTestId(`draft-${ids.draft}`);
    await draft.waitFor();
    expect(await draft.innerText()).to.include("0/2 已签名");
    const near = page.getByTestId(`pledge-${ids.near}`);
    await near.waitFor();
    expect(await near.innerText()).to.include("30 天内到期");
    expect(
      await page.getByTestId(`pledge-${ids.frozen}`).count(),
      "a pledge a year from maturity waits on nobody",
    ).to.equal(0);
    await screenshots(page, "inbox-bank");
    await inEnglish("inbox-bank", "My work");

    // By keyboard: the draft's link is reachable with Tab and opens the application with its signers.
    const link = page.getByTestId(`draft-${ids.draft}`).getByRole("link");
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#/application/${ids.draft}$`));
    await page
      .getByTestId(`signer-${f.signerOf["bank-a"].address.toLowerCase()}`)
      .getByText("Bank A (licensed lender)")
      .first()
      .waitFor(); // the names come with their own request
    // Bank A's own row reads as its name, with its full address (a signer checks it against its wallet).
    const own = await page.getByTestId(`signer-${f.signerOf["bank-a"].address.toLowerCase()}`).innerText();
    expect(own).to.include("Bank A (licensed lender)");
    expect(own).to.include(f.signerOf["bank-a"].address);
  });

  it("flags the frozen patent on Bank A's watchlist with the freeze's date, and the pledge near maturity", async () => {
    await openFromMenu(page, "押品监控");
    const frozen = page.getByTestId(`watch-${ids.frozen}`);
    const flag = frozen.getByTestId("flag-FROZEN");
    await flag.getByText(zhDate(freezeTime)).waitFor();
    expect(await flag.innerText()).to.include("资产已被冻结");
    expect(await flag.innerText()).to.include("ZL202610020002.2");
    const near = page.getByTestId(`watch-${ids.near}`).getByTestId("flag-NEAR_MATURITY");
    expect(await near.innerText()).to.include("30 天内到期");
    expect(await page.getByTestId(`watch-${ids.near}`).getByTestId("flag-FROZEN").count()).to.equal(0);
    expect(await page.getByTestId("watch-summary").innerText()).to.equal("2 笔质押，其中 2 笔有提示");
    await screenshots(page, "watchlist");
    await inEnglish("watchlist", "Watchlist");

    // The flag's link opens the asset's page (one timeline for the bank and the office): the freeze is its latest
    // event, dated from the history's own block times; the page leads back to the watchlist, and offers no changes.
    await page.getByTestId(`watch-${ids.frozen}`).getByTestId("flag-FROZEN").getByRole("link").click();
    await page.waitForURL(new RegExp(`#/asset/${ids.frozenAsset}$`));
    await page.getByRole("heading", { level: 1, name: "发明专利 ZL202610020002.2" }).waitFor();
    const newest = page.getByTestId("timeline").locator(":scope > li").first();
    await newest.and(page.locator('[data-event="FreezeRecorded"]')).waitFor();
    expect(await newest.innerText()).to.include("冻结登记");
    expect(await newest.locator("time").getAttribute("datetime")).to.equal(new Date(freezeTime).toISOString());
    expect(await page.getByRole("heading", { name: "办理变更" }).count(), "a bank records no changes").to.equal(0);
    await screenshots(page, "asset-timeline");
    await inEnglish("asset-timeline", "Invention patent ZL202610020002.2");
    await page.getByRole("link", { name: "← 返回押品监控" }).click();
    await page.getByRole("heading", { level: 1, name: "押品监控" }).waitFor();
  });

  it("shows the office its application to decide with the one-working-day countdown, the bank by name", async () => {
    await signIn("Registration");
    const item = page.getByTestId(`decide-${ids.pending}`);
    await item.waitFor();
    // One working day from receipt (Beijing time), counted here by hand: Friday → Monday, Saturday → Monday.
    const weekday = new Date(submittedAt + 8 * HOUR).getUTCDay();
    const days = weekday === 5 ? 3 : weekday === 6 ? 2 : 1;
    const now = Number((await f.registry.provider.getBlock("latest"))!.timestamp) * 1000;
    const hours = Math.floor((submittedAt + days * 24 * HOUR - now) / HOUR);
    expect(await item.getByTestId("countdown").innerText()).to.equal(`剩余 ${hours} 小时`);
    // The organisations' names arrive with their own request: the bank's name replaces its short address.
    await item.getByText("Bank A (licensed lender)").first().waitFor();
    expect(await item.innerText()).to.include("Bank A (licensed lender)");
    expect(await item.locator(`[title="${f.signerOf["bank-a"].address}"]`).count()).to.equal(1);
    await screenshots(page, "inbox-registrar");
    await inEnglish("inbox-registrar", "My work");
    await item.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "待审登记" }).waitFor();
    // The queue's card says the same deadline.
    const card = page.getByTestId(`application-${ids.pending}`);
    expect(await card.getByTestId("countdown").innerText()).to.equal(`剩余 ${hours} 小时`);
  });

  it("lands an evaluator on its inbox (nothing waits) with its menu", async () => {
    await signIn("Evaluator Co");
    await page.getByTestId("inbox-batches").getByText("目前没有等您处理的事项").waitFor();
    await screenshots(page, "inbox-evaluator");
    expect(await page.getByRole("navigation").innerText()).to.include("评估报告");
  });
});
