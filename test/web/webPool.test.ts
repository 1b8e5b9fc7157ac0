/**
 * The evaluator's desk and the pool pages in Debian's Chromium against a real gateway on the in-process chain:
 * the evaluator hashes a real report file in the browser, signs with its demo key in the page and anchors it; the
 * public verify page (no sign-in) finds it by the same file; the auditor's pool page, over a pool with one period
 * distributed, shows its waterfall chart and the preview of the next distribution, and its waterfall CSV is checked
 * cell by cell against the chain's events; the investor holding the senior tranche sees its holdings, signs its claim
 * in the page and is paid, and the trace's CSV is checked cell by cell against the chain's events.
 * Every screen is saved at 1280×800, at 200 % zoom and at 390 px under test-results/web/.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { BrowserContext, Page } from "playwright-core";
import { deployGatewayFixture } from "../api/helpers/gatewayFixture";
import { recordPatent } from "../api/helpers/pledgeParties";
import {
  FEE_PER_PERIOD,
  INSTALMENT,
  SENIOR_FACE,
  afterPeriod,
  expectStatus,
  openPoolGateway,
  seniorInterest,
  walletOf,
} from "../api/helpers/poolParties";
import { WATERFALL_STEPS } from "../../api/src/routes/pools/poolContract";
import { investorOrganisation } from "../api/helpers/investorGateway";
import { TokenModel } from "../api/helpers/poolBooks";
import {
  ARTIFACTS,
  demoWebApp,
  ensureWebBuilt,
  keepFailedScreen,
  launchBrowser,
  listen,
  screenshots,
  signInFromPicker,
  INBOX,
} from "./browser";

const sha256File = (path: string) => `0x${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
/** fen → "¥1,234.56", as a Chinese page shows money. */
const yuanText = (fen: bigint) => `¥${(fen / 100n).toLocaleString("en")}.${String(fen % 100n).padStart(2, "0")}`;
const isoDay = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);

/** RFC 4180 rows of a CSV text (quoted cells, CRLF), after its byte order mark. */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0), "a UTF-8 byte order mark first").to.equal(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(cell), (cell = ""));
    else if (c === "\r" && text[i + 1] === "\n") {
      (row.push(cell), rows.push(row), (row = []), (cell = ""), i++);
    } else cell += c;
  }
  expect(cell, "the text ends with CRLF").to.equal("");
  return rows;
}

describe("web app — evaluator and pool pages (Chromium)", function () {
  this.timeout(180_000);
  let f: Awaited<ReturnType<typeof openPoolGateway>>;
  let browser: BrowserContext;
  let server: Server;
  let url: string;
  let page: Page;
  let chainNow: bigint;
  const pageErrors: string[] = [];
  const files = mkdtempSync(join(tmpdir(), "ipr-web-pool-"));
  const reportFile = join(files, "估值报告-2026-0815.txt");

  before(async () => {
    ensureWebBuilt();
    // The demo organisations and their keys (loadFixture before anything happens on chain: it reverts to its
    // snapshot, and openPoolGateway starts from the same one).
    const { demo } = await loadFixture(deployGatewayFixture);
    // A closed pool whose first instalment was paid, and its first period distributed through the API.
    f = await openPoolGateway();
    await afterPeriod(f.pool, 0);
    expectStatus(await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`), 201);
    // An asset for the evaluator to value.
    await recordPatent(f, "ZL202410066666.6", [f.parties[7]]);
    chainNow = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

    // The senior tranche's holder as an investor organisation of the demo picker (the demo has none of its own).
    const investor: (typeof demo)[number] = {
      organisation: investorOrganisation("investor-wang", "Investor Wang (senior holder)", f.people.investor.address),
      apiKey: "ipr_investor-wang",
      account: (await ethers.getSigners()).findIndex((s) => s.address === f.people.investor.address),
    };
    ({ url, server } = await listen(demoWebApp(f.registry, f.dataDir, [...demo, investor])));
    writeFileSync(reportFile, `资产评估报告 2026-0815\nZL202410066666.6\n评估价值：3,200,000.00 元\n${Date.now()}\n`);

    browser = await launchBrowser();
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("pageerror", (e) => pageErrors.push(e.message));
  });

  afterEach(function () {
    return keepFailedScreen(this.currentTest, page);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  /** A screen as the README shows it: the window only (not the whole page), scrolled to `what`. */
  const readmeShot = async (name: string, what: string) => {
    await page.setViewportSize({ width: 1100, height: 720 });
    await page.getByTestId(what).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `readme-${name}.png`) });
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  const signInAs = (name: string, lands: string) => signInFromPicker(page, url, name, lands);

  it("the evaluator hashes a real file in the browser, signs in the page and anchors it; the receipt has hash, block and time", async () => {
    const expected = sha256File(reportFile);
    await signInAs("Evaluator Co", "评估报告");
    const uploads: string[] = [];
    page.on("request", (r) => uploads.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.getByRole("button", { name: /使用演示签名密钥/ }).click();
    expect(await page.getByTestId("signer-address").innerText()).to.include(f.signerOf.evaluator.address);
    await page.setInputFiles("#evaluator-file", reportFile);
    expect(await page.getByTestId("local-hash").innerText()).to.equal(expected);
    await page.fill("#ev-assets", "ZL202410066666.6");
    await page.fill("#ev-value", "3,200,000.00");
    await page.selectOption("#ev-method", "Market");
    await page.fill("#ev-date", isoDay(chainNow - 86_400n));
    await page.fill("#ev-until", isoDay(chainNow + 2n * 365n * 86_400n));
    await page.getByRole("button", { name: "核查并准备签名" }).click();
    const confirm = page.getByTestId("confirm");
    await confirm.waitFor();
    const words = await confirm.innerText();
    expect(words).to.include("¥3,200,000.00");
    expect(words).to.include("市场法");
    expect(words).to.include("评估报告存证"); // what is signed, read from the very message signed
    expect(words).to.include("发明专利 ZL202410066666.6");
    await screenshots(page, "evaluator-confirm");
    await readmeShot("evaluator", "confirm");
    await page.getByRole("button", { name: "签名并立即存证" }).click();
    const receipt = page.getByTestId("receipt");
    await receipt.waitFor();
    const text = await receipt.innerText();

    // The register holds it: by this evaluator, at the value and on the asset given, anchored in the block shown.
    const [record] = await f.contracts.valuationRegistry.reportOf(expected);
    expect(record.evaluator).to.equal(f.signerOf.evaluator.address);
    const [log] = await f.contracts.valuationRegistry.queryFilter(
      f.contracts.valuationRegistry.filters.ReportAnchored(expected),
    );
    expect(log.args.report.value).to.equal(320_000_000n);
    expect(text).to.include(expected);
    expect(text).to.include(log.transactionHash);
    expect(text).to.include(log.blockNumber.toLocaleString("en"));
    expect(text).to.match(/\d{4}年\d{1,2}月\d{1,2}日/);
    // The file went to the document store (POST /v1/documents); the key never left the page.
    expect(uploads).to.include("POST /v1/documents");
    await page.getByTestId("my-reports").locator(`a[title="${expected}"]`).waitFor();
    expect(await page.getByTestId("my-reports").innerText()).to.include("已存证");
    await screenshots(page, "evaluator-anchored");
  });

  it("the public verify page, without sign-in, finds the anchored report by the same file", async () => {
    const expected = sha256File(reportFile);
    await page.getByRole("button", { name: "退出" }).click();
    await page.goto(`${url}/#/verify`);
    await page.getByText("文件不会离开您的浏览器").waitFor();
    await page.setInputFiles("#report-file", reportFile);
    const result = page.getByTestId("verify-result");
    await result.getByText(expected).waitFor();
    const text = await result.innerText();
    expect(text).to.include("已存证");
    expect(text).to.include("有效");
    expect(text).to.include(f.signerOf.evaluator.address);
    await screenshots(page, "verify-evaluator-file");
    await readmeShot("verify", "verify-result");
  });

  it("the evaluator queues a report for a batch, supersedes the first with a new one and revokes that with a reason; the public page tells each state", async () => {
    const queuedFile = join(files, "估值报告-2026-0816.txt");
    const newerFile = join(files, "估值报告-2026-0815-修订.txt");
    writeFileSync(queuedFile, `资产评估报告 2026-0816\nZL202410066666.6\n${Date.now()}\n`);
    writeFileSync(newerFile, `资产评估报告 2026-0815（修订）\nZL202410066666.6\n${Date.now()}\n`);
    const [first, queued, newer] = [reportFile, queuedFile, newerFile].map(sha256File);
    const fill = async (file: string, yuan: string) => {
      await page.setInputFiles("#evaluator-file", file);
      await page.fill("#ev-assets", "ZL202410066666.6");
      await page.fill("#ev-value", yuan);
      await page.fill("#ev-date", isoDay(chainNow - 86_400n));
      await page.fill("#ev-until", isoDay(chainNow + 365n * 86_400n));
      await page.getByRole("button", { name: "核查并准备签名" }).click();
      await page.getByTestId("confirm").waitFor();
    };
    const rowOf = (hash: string) =>
      page.getByTestId("my-reports").locator("tr", { has: page.locator(`a[title="${hash}"]`) });
    await signInAs("Evaluator Co", "评估报告");
    // Signing out forgot the demo key; this time the key comes from a key file the evaluator loads.
    expect(await page.getByTestId("signer-address").count()).to.equal(0);
    const keyFile = join(files, "evaluator.key");
    writeFileSync(keyFile, `${(await walletOf(f.signerOf.evaluator)).privateKey}\n`);
    await page.setInputFiles("#key-file", keyFile);
    await page.getByRole("button", { name: "用这个密钥签名" }).click();
    expect(await page.getByTestId("signer-address").innerText()).to.include(f.signerOf.evaluator.address);

    await fill(queuedFile, "3100000");
    await page.getByRole("button", { name: /放入下一批次/ }).click();
    expect(await page.getByTestId("receipt").innerText()).to.include("已排队");
    await rowOf(queued).getByText("排队中").waitFor();

    // Supersede the first report: its row's button names it in the new report's form.
    await rowOf(first).getByRole("button", { name: "出具替代报告" }).click();
    expect(await page.inputValue("#ev-supersedes")).to.equal(first);
    await fill(newerFile, "3000000");
    expect(await page.getByTestId("confirm").innerText()).to.include(first);
    await page.getByRole("button", { name: "签名并立即存证" }).click();
    await page.getByTestId("receipt").getByText(newer).waitFor();
    const v = f.contracts.valuationRegistry;
    const [superseded] = await v.queryFilter(v.filters.ReportSuperseded(first));
    expect(superseded.args.supersededBy).to.equal(newer);
    await rowOf(first).getByText("已被取代").waitFor();

    // Revoke the newer one with a reason, signed in the page.
    await rowOf(newer).getByRole("button", { name: "撤销" }).click();
    await page.fill("#revoke-reason", "估值方法适用错误");
    await page.getByRole("button", { name: "查看将签署的内容" }).click();
    // What is being signed, in words, before signing: the report and the reason.
    const revocation = await page.getByTestId("revoke-consent").getByTestId("signing-terms").innerText();
    expect(revocation).to.include("撤销评估报告");
    expect(revocation).to.include(newer);
    expect(revocation).to.include("估值方法适用错误");
    await page.getByRole("button", { name: "签名并撤销" }).click();
    await rowOf(newer).getByText("已撤销").first().waitFor();
    const [revoked] = await v.queryFilter(v.filters.ReportRevoked(newer));
    expect(revoked.args.reason).to.equal("估值方法适用错误");
    expect(revoked.args.revokedBy).to.equal(f.signerOf.evaluator.address);
    await screenshots(page, "evaluator-list");

    await page.getByRole("button", { name: "退出" }).click();
    await page.goto(`${url}/#/verify`);
    const verdictOf = async (file: string) => {
      await page.setInputFiles("#report-file", file);
      await page.getByTestId("verify-result").getByText(sha256File(file)).first().waitFor();
      return page.getByTestId("verify-result").innerText();
    };
    expect(await verdictOf(queuedFile)).to.include("已排队，等待打包存证");
    await screenshots(page, "verify-queued");
    expect(await verdictOf(reportFile)).to.include("已被新报告取代");
    expect(await verdictOf(newerFile)).to.include("已被评估机构撤销");
  });

  it("the auditor's pool page shows the period's waterfall chart, and its CSV matches the chain's events cell by cell", async () => {
    await signInAs("Auditor", "资产池");
    await page.getByTestId("pool-list").getByRole("link").first().click();
    await page.getByTestId("waterfall-table").waitFor();
    const chart = page.getByTestId("waterfall-chart");
    await chart.locator("canvas").waitFor();
    const box = await chart.boundingBox();
    expect(box!.width).to.be.greaterThan(200);
    expect(box!.height).to.be.greaterThan(200);
    await page.getByTestId("outstanding-chart").locator("canvas").waitFor();
    // The chart drew bars: its canvas is not blank.
    const inked = await chart.locator("canvas").evaluate((c: HTMLCanvasElement) =>
      c
        .getContext("2d")!
        .getImageData(0, 0, c.width, c.height)
        .data.some((v, i) => i % 4 === 3 && v > 0),
    );
    expect(inked, "the waterfall chart has ink").to.equal(true);
    await page.getByTestId("conservation").waitFor();
    expect(await page.getByTestId("conservation").innerText()).to.include("✓");
    expect(await page.getByTestId(`instalments-${f.licences.subLicenceId}`).innerText()).to.include("已付");
    // The next distribution, previewed by the pool itself: computed here from SPEC §6's conventions over the
    // chain's state after period 1 (A1's outstanding, the reserve): nothing was collected since, so fees and A1's
    // interest (Actual/365 on whole days) are drawn from the reserve; the period has not ended; instalment 2 is unpaid.
    const ends = await f.pool.periodEnds();
    const a1 = await f.pool.trancheOf(0);
    const interest = seniorInterest(a1.outstanding, ends[0], ends[1]) + a1.interestArrears;
    const books = await f.pool.reconcile();
    expect(books.collectionsAvailable, "nothing collected since period 1").to.equal(0n);
    const due = FEE_PER_PERIOD + interest;
    const drawn = due < books.reserve ? due : books.reserve;
    const preview = page.getByTestId("next-distribution");
    await preview.getByTestId("next-steps").waitFor();
    expect(await preview.innerText()).to.include("预览");
    const stepRows = await preview
      .getByTestId("next-steps")
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
    expect(stepRows.slice(0, 4)).to.deep.equal([
      `现金流入 ${yuanText(0n)}`,
      `动用储备金 ${yuanText(drawn)}`,
      `费用 ${yuanText(FEE_PER_PERIOD)}`,
      `优先级利息 LF27A1 ${yuanText(interest)}`,
    ]);
    const missing = await preview.getByTestId("next-missing").innerText();
    expect(missing).to.include("本期尚未结束");
    expect(missing).to.include(`许可 #${f.licences.subLicenceId} 第 2 期分期`);
    expect(missing).to.include(yuanText(INSTALMENT));
    await preview.getByTestId("next-chart").locator("canvas").waitFor();
    await screenshots(page, "pool-auditor");
    await readmeShot("pool", "waterfall-chart");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "下载瀑布 CSV" }).click(),
    ]);
    const rows = parseCsv(readFileSync((await download.path())!, "utf8"));

    // Expected from the chain itself: every WaterfallStepped of the pool, in log order, tranches named by symbol.
    const steps = await f.pool.queryFilter(f.pool.filters.WaterfallStepped());
    expect(steps.length).to.be.greaterThan(2);
    const symbols = [f.config.tranches[0].symbol, f.config.tranches[1].symbol];
    const creditSteps = new Set(["SeniorInterest", "SeniorPrincipal", "Subordinated"]);
    const expected = [
      ["pool", "period", "step", "tranche", "amount_smallest_unit", "block_number", "transaction_hash"],
      ...steps.map((e) => {
        const step = WATERFALL_STEPS[Number(e.args.step)];
        return [
          f.poolAddress,
          String(Number(e.args.period) + 1),
          step,
          creditSteps.has(step) ? symbols[Number(e.args.tranche)] : "",
          e.args.amount.toString(),
          String(e.blockNumber),
          e.transactionHash,
        ];
      }),
    ];
    expect(rows).to.deep.equal(expected);
    expect(pageErrors).to.deep.equal([]);
  });

  it("the originator's inbox lists the pool's next period to run, and opens the pool page", async () => {
    await signInAs("Originator", INBOX);
    const item = page.getByTestId("inbox-periods").getByRole("listitem");
    await item.waitFor();
    // Period 1 was distributed: period 2 is next.
    expect(await item.innerText()).to.include("第 2 期");
    await screenshots(page, "inbox-originator");
    await item.getByRole("link").click();
    await page.getByTestId("waterfall-table").waitFor();
    expect(pageErrors).to.deep.equal([]);
  });

  it("the investor opens its holdings on the pool page, signs its claim in the page and is paid what accrued to it", async () => {
    await signInAs("Investor Wang", "资产池");
    // The list of pools shows what it holds in each and what it may claim there.
    const listed = page.getByTestId("pool-list").locator("tbody tr").first();
    await listed.getByText(yuanText(SENIOR_FACE)).waitFor();
    await page.getByTestId("pool-list").getByRole("link").first().click();
    const holdings = page.getByTestId("holdings");
    await holdings.getByTestId("holdings-table").waitFor();
    // What accrued to its tokens in period 1: A1's interest, then its principal, each credited through the token's
    // per-token accounting (computed here from SPEC §6 and the token's rounding, not read from the pool).
    const ends = await f.pool.periodEnds();
    const interest = seniorInterest(SENIOR_FACE, await f.pool.startDate(), ends[0]);
    const left = INSTALMENT - FEE_PER_PERIOD - interest;
    const principal = left < SENIOR_FACE ? left : SENIOR_FACE;
    const token = new TokenModel(SENIOR_FACE);
    token.distribute(interest);
    token.distribute(principal);
    const owed = token.accumulatedOf(SENIOR_FACE);
    await page.goBack();
    await listed.getByText(yuanText(owed)).waitFor();
    const listedText = (await listed.innerText()).replace(/\s+/g, " ");
    expect(listedText).to.include(`${yuanText(SENIOR_FACE)} ${yuanText(owed)}`);
    await screenshots(page, "pool-list-investor");
    await page.getByTestId("pool-list").getByRole("link").first().click();
    await holdings.getByTestId("holdings-table").waitFor();
    const row = (await holdings.getByTestId("holdings-table").locator("tbody tr").first().innerText())
      .replace(/\s+/g, " ")
      .trim();
    expect(row).to.include("LF27A1");
    expect(row).to.include(yuanText(SENIOR_FACE)); // tokens held
    expect(row).to.include(yuanText(SENIOR_FACE - principal)); // its share of the outstanding
    expect(row).to.include(yuanText(owed)); // accrued and claimable
    // It holds the senior tranche, so it sees the pool's trace too: the period's waterfall and the preview.
    await page.getByTestId("waterfall-table").waitFor();
    await page.getByTestId("next-steps").waitFor();
    await screenshots(page, "pool-investor");

    await holdings.getByRole("button", { name: `领取 LF27A1 · ${yuanText(owed)}` }).click();
    const consent = holdings.getByTestId("claim-consent");
    await consent.waitFor();
    // What it signs, in words read from the prepared transaction: a claim of LF27A1 from this pool, by its account.
    const terms = await consent.getByTestId("claim-terms").innerText();
    expect(terms).to.include("领取分层 LF27A1");
    expect(terms).to.include(yuanText(owed));
    expect(terms).to.include(f.poolAddress);
    expect(terms).to.include(f.people.investor.address);
    await consent.getByRole("button", { name: /使用演示签名密钥/ }).click();
    expect(await consent.getByTestId("signer-address").innerText()).to.include(f.people.investor.address);
    const paidBefore = await f.coin.balanceOf(f.people.investor.address);
    await screenshots(page, "pool-investor-claim");
    await consent.getByRole("button", { name: "签名并领取" }).click();
    const receipt = holdings.getByTestId("claim-receipt");
    await receipt.waitFor();

    // The chain paid it exactly what accrued, in the transaction the receipt names.
    const [claimed] = await f.pool.queryFilter(f.pool.filters.Claimed(0n, f.people.investor.address));
    expect(claimed.args.amount).to.equal(owed);
    expect((await f.coin.balanceOf(f.people.investor.address)) - paidBefore).to.equal(owed);
    const receiptText = await receipt.innerText();
    expect(receiptText).to.include(yuanText(owed));
    expect(receiptText).to.include(claimed.transactionHash);
    await holdings.getByTestId("my-claims").getByText(claimed.transactionHash).waitFor();
    expect(
      (await holdings.getByTestId("holdings-table").locator("tbody tr").first().innerText()).replace(/\s+/g, " "),
    ).to.include(yuanText(0n)); // nothing left to claim
    expect(await holdings.getByRole("button", { name: /领取 LF27A1/ }).count()).to.equal(0);
    await screenshots(page, "pool-investor-claimed");

    // The trace's CSV (it holds A1, so it reads the trace), reloaded after the claim: every payment, credit and claim
    // with its proof, cell by cell against the chain's own events.
    await page.reload();
    const [traceDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "下载追踪 CSV" }).click(),
    ]);
    const traceRows = parseCsv(readFileSync((await traceDownload.path())!, "utf8"));
    const pool = f.pool;
    const [paid, distributed, steps, claims] = await Promise.all([
      pool.queryFilter(pool.filters.InstalmentPaid()),
      pool.queryFilter(pool.filters.PeriodDistributed()),
      pool.queryFilter(pool.filters.WaterfallStepped()),
      pool.queryFilter(pool.filters.Claimed()),
    ]);
    const at = async (block: number) =>
      new Date((await ethers.provider.getBlock(block))!.timestamp * 1000).toISOString();
    const after = (a: { blockNumber: number; index: number }, b: { blockNumber: number; index: number }) =>
      b.blockNumber > a.blockNumber || (b.blockNumber === a.blockNumber && b.index > a.index);
    const symbols = [f.config.tranches[0].symbol, f.config.tranches[1].symbol];
    const credits = new Set(["SeniorInterest", "SeniorPrincipal", "Subordinated"]);
    const expectedTrace = [
      [
        "pool",
        "item",
        "licence_id",
        "instalment",
        "period",
        "step",
        "tranche",
        "party",
        "amount_smallest_unit",
        "late",
        "at",
        "block_number",
        "transaction_hash",
      ],
      ...(await Promise.all(
        paid.map(async (e) => {
          const by = distributed.find((d) => after(e, d));
          return [
            f.poolAddress,
            "payment",
            e.args.licenceId.toString(),
            String(Number(e.args.index) + 1),
            by ? String(Number(by.args.period) + 1) : "",
            "",
            "",
            e.args.payer,
            e.args.amount.toString(),
            String(e.args.late),
            await at(e.blockNumber),
            String(e.blockNumber),
            e.transactionHash,
          ];
        }),
      )),
      ...[0, 1].flatMap((tranche) => [
        ...steps
          .filter((e) => credits.has(WATERFALL_STEPS[Number(e.args.step)]) && Number(e.args.tranche) === tranche)
          .map((e) => [
            f.poolAddress,
            "credit",
            "",
            "",
            String(Number(e.args.period) + 1),
            WATERFALL_STEPS[Number(e.args.step)],
            symbols[tranche],
            "",
            e.args.amount.toString(),
            "",
            "",
            String(e.blockNumber),
            e.transactionHash,
          ]),
        ...claims
          .filter((e) => Number(e.args.tranche) === tranche)
          .map((e) => [
            f.poolAddress,
            "claim",
            "",
            "",
            "",
            "",
            symbols[tranche],
            e.args.holder,
            e.args.amount.toString(),
            "",
            "",
            String(e.blockNumber),
            e.transactionHash,
          ]),
      ]),
    ];
    expect(claims.length, "the investor's claim is in the trace").to.equal(1);
    expect(traceRows).to.deep.equal(expectedTrace);
    expect(pageErrors).to.deep.equal([]);
  });
});
