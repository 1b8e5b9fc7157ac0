/**
 * The registration office's asset register and the public look-up by registration number, clicked through in
 * Chromium: the clerk records a co-owned patent (holders and shares, dates), finds it in the register's list, freezes
 * it, and the asset's timeline shows both events in words with their dates and proofs; the registration notice's QR
 * URL, opened in a browser that never signed in, shows the notice's facts and their proof; an unknown number is "not
 * found". Every screen is saved at 1280×800, 200 % zoom and 390 px under test-results/web/.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Server } from "node:http";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { chromium, type Browser, type Page } from "playwright-core";
import { deployGatewayFixture, openGateway, type GatewayFixture } from "../api/helpers/gatewayFixture";
import { indexFor } from "../api/helpers/sharedIndex";
import { anchorReport, recordPatent, registeredPledge } from "../api/helpers/pledgeParties";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  INBOX,
  demoWebApp,
  ensureWebBuilt,
  keepFailedScreen,
  listen,
  openFromMenu,
  screenshots,
} from "./browser";

describe("web app — the asset register and the public look-up (Chromium)", function () {
  this.timeout(180_000);
  let f: GatewayFixture;
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const problems: string[] = [];
  const NUMBER = "ZL202610011223.4";

  before(async () => {
    ensureWebBuilt();
    f = await openGateway();
    const { demo } = await loadFixture(deployGatewayFixture);
    ({ url, server } = await listen(demoWebApp(f.registry, f.dataDir, demo, await indexFor(f.deployment))));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await fresh();
  });

  /** A browser context of its own (its own storage: nobody signed in), Chinese first; page errors are collected. */
  async function fresh() {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
    const p = await context.newPage();
    p.on("pageerror", (e) => problems.push(e.message));
    p.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
    });
    return p;
  }

  afterEach(function () {
    return keepFailedScreen(this.currentTest, page);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  it("the clerk records a co-owned patent, finds it, freezes it, and the timeline shows both with proofs", async () => {
    const [holderA, holderB] = f.parties;
    await page.goto(`${url}/#/sign-in`);
    await page.getByRole("button", { name: /Registration Office/ }).click();
    await page.getByRole("heading", { level: 1, name: INBOX }).waitFor();
    await openFromMenu(page, "资产登记簿");

    // The form by keyboard: kind, number, two holders with 60 % and 40 %, dates.
    await page.getByRole("button", { name: "登记新资产" }).click();
    await page.getByLabel("官方编号（专利号、注册号等）").fill(NUMBER);
    await page.getByLabel("权利人地址 1").fill(holderA.address);
    await page.getByLabel("份额（%） 1").fill("60");
    await page.getByRole("button", { name: "再加一位权利人" }).click();
    await page.getByLabel("权利人地址 2").fill(holderB.address);
    await page.getByLabel("份额（%） 2").fill("30");
    await page.getByLabel("授权日").fill("2024-03-01");
    await page.getByLabel("保护期届满").fill("2044-02-28");
    await page.getByLabel("年费缴至").fill("2027-03-01");
    await page.getByRole("button", { name: "登记", exact: true }).click();
    await page.getByRole("alert").getByText("合计必须为 100%").waitFor(); // refused in words, nothing sent
    await page.getByLabel("份额（%） 2").fill("40");
    await screenshots(page, "asset-record-form");
    await page.getByRole("button", { name: "登记", exact: true }).click();
    await page.getByTestId("asset-recorded").waitFor({ timeout: 30_000 });
    const assetId = await f.contracts.assetRegister.assetIdOf(0, NUMBER);
    const recorded = await f.contracts.assetRegister.holdersOf(assetId);
    expect(recorded.map((h) => [h.holder, Number(h.shareBps)])).to.deep.equal([
      [holderA.address, 6_000],
      [holderB.address, 4_000],
    ]);

    // The list finds it by part of its number.
    await page.getByLabel("编号（可只输入一部分）").fill("011223");
    await page.getByRole("button", { name: "查找" }).click();
    const list = page.getByTestId("asset-list");
    await list.getByRole("link", { name: NUMBER }).waitFor();
    expect(await list.locator("tbody tr").count()).to.equal(1);
    expect(await list.innerText()).to.include("已授权");
    await screenshots(page, "asset-register");

    // Its page: the record, then a freeze by a court's preservation order.
    await list.getByRole("link", { name: NUMBER }).click();
    await page.getByRole("heading", { level: 1, name: `发明专利 ${NUMBER}` }).waitFor();
    await page.getByLabel("冻结", { exact: true }).selectOption("PreservationOrder");
    await page.getByRole("form", { name: "冻结与解冻" }).getByRole("button", { name: "登记" }).click();
    await page.getByTestId("step-done").waitFor({ timeout: 30_000 });
    await page.getByTestId("asset-flags").getByText("法院保全冻结").waitFor();
    const { standing } = await f.contracts.assetRegister.assetOf(assetId).then(async () => ({
      standing: await f.contracts.assetRegister.standingOf(assetId),
    }));
    expect(Number(standing)).to.not.equal(0);

    // The timeline: newest first, each event in words with its date and proof (transaction and block).
    const timeline = page.getByTestId("timeline");
    const items = timeline.locator(":scope > li");
    await items.first().and(page.locator('[data-event="FreezeRecorded"]')).waitFor();
    expect(await items.evaluateAll((li) => li.map((x) => x.getAttribute("data-event")))).to.deep.equal([
      "FreezeRecorded",
      "HoldersRecorded",
      "AssetRecorded",
    ]);
    const r = f.contracts.assetRegister;
    const [froze] = await r.queryFilter(r.filters.FreezeRecorded(assetId));
    const [entered] = await r.queryFilter(r.filters.AssetRecorded(assetId));
    const freezeText = await items.nth(0).innerText();
    expect(freezeText).to.include("冻结登记");
    expect(freezeText).to.include("法院保全冻结");
    expect(freezeText).to.include(froze.transactionHash);
    expect(freezeText).to.include(froze.blockNumber.toLocaleString("zh-CN"));
    const freezeDay = new Date((await ethers.provider.getBlock(froze.blockNumber))!.timestamp * 1000);
    expect(await items.nth(0).locator("time").getAttribute("datetime")).to.equal(freezeDay.toISOString());
    const recordText = await items.nth(2).innerText();
    expect(recordText).to.include("资产登记");
    expect(recordText).to.include(entered.transactionHash);
    expect(recordText).to.include("2044");
    expect(await items.nth(1).innerText()).to.include("60\u00a0%");
    await screenshots(page, "asset-page");
    await page.getByRole("button", { name: "切换到英文" }).click();
    await page.getByRole("heading", { level: 2, name: "Whole history" }).waitFor();
    expect(await items.nth(0).innerText()).to.include("Frozen: court preservation order");
    expect(await page.getByTestId("step-done").innerText()).to.include("Freeze or unfreeze"); // in the new language
    await screenshots(page, "asset-page-english");
    await page.getByRole("button", { name: "Switch to Chinese" }).click();
  });

  it("the notice's QR URL opens the public look-up with the notice's facts and proof, without signing in", async () => {
    const [holder] = f.parties;
    const assetId = await recordPatent(f, "ZL202610099887.6", [holder]);
    const reportId = await anchorReport(f, [assetId]);
    const pledgeId = await registeredPledge(f, { assets: [assetId], pledgors: [holder], reportId });
    const p = f.contracts.pledgeRegistry;
    const [registered] = await p.queryFilter(p.filters.PledgeRegistered(BigInt(pledgeId)));
    const number = registered.args.registrationNumber.toString();

    // The office prints the notice: its QR code carries the public look-up of the registration number.
    await page.goto(`${url}/#/notice/${pledgeId}`);
    const qrUrl = await page.getByTestId("qr-url").innerText();
    expect(qrUrl).to.equal(`${url}/#/verify?registration=${number}`);

    // Anyone scanning it: a browser that never signed in.
    const visitor = await fresh();
    await visitor.goto(qrUrl);
    const result = visitor.getByTestId("registration-result");
    await result.waitFor({ timeout: 30_000 });
    const text = await result.innerText();
    for (const fact of [
      number,
      "已登记", // status now
      "发明专利 ZL202610099887.6",
      holder.address,
      f.signerOf["bank-a"].address,
      "91440101MA5CXYZ12K", // debtor
      "1,000,000.00", // secured amount
      reportId,
      "有效", // the report still holds
      registered.transactionHash,
    ]) {
      expect(text, fact).to.include(fact);
    }
    expect(await visitor.getByRole("link", { name: "登录" }).isVisible()).to.equal(true); // nobody signed in
    await screenshots(visitor, "public-registration");

    // From it, the notice's valuation report is checked on the same page.
    await result.getByRole("button", { name: "核验这份报告" }).click();
    await visitor
      .getByTestId("verify-result")
      .getByRole("heading", { name: /已存证/ })
      .waitFor();

    // A number never registered: "not found", in words.
    await visitor.goto(`${url}/#/verify`);
    await visitor.reload();
    await visitor.getByLabel("质押登记号").fill(String(BigInt(number) + 1000n));
    await visitor.getByRole("button", { name: "查询" }).click();
    await visitor.getByTestId("registration-result").getByText("未找到").waitFor();
    await screenshots(visitor, "public-registration-not-found");
    await visitor.context().close();
    expect(problems).to.deep.equal([]);
  });
});
