/**
 * /v1/pools across two periods, every figure against the independent waterfall model (test/helpers) and a model of
 * the tranche token's rounding written here: periods numbered from 1 wherever a person reads them, a period's
 * reconciliation as the pool stood right after that period's distribution (not as it stands now), the trace linking
 * each payment to the period that distributed it and each claim to the credits it drew on, and a CSV an auditor can
 * open safely (no duplicate rows, full ids, plain numbers, no formula a spreadsheet would run).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  INSTALMENT,
  RESERVE_TARGET,
  SENIOR_FACE,
  SUBORDINATED_FACE,
  afterPeriod,
  expectStatus,
  openPoolGateway,
} from "./helpers/poolParties";
import type { ModelReport } from "../helpers/poolModel";
import { TokenModel, booksFromEvents, poolModelOf } from "./helpers/poolBooks";
import { indexFor } from "./helpers/sharedIndex";

type Pool = Awaited<ReturnType<typeof openPoolGateway>>;
type Figure = { section: string; item: string; tranche: string | null; amount: string };

const UNSOLICITED = 12_345n;
const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

/** The books as the pool must hold them right after a period, from what went in and out (see `twoPeriods`). */
interface Books {
  collected: bigint;
  unsolicited: bigint;
  feesPaid: bigint;
  claimsPaid: bigint;
  reserve: bigint;
  credited: bigint;
  dust: bigint;
}
const SUBSCRIBED = SENIOR_FACE + SUBORDINATED_FACE;
const PROCEEDS = SUBSCRIBED - RESERVE_TARGET;
const expectedBooks = (b: Books) => {
  const trancheClaimable = b.credited - b.claimsPaid;
  const cashIn = SUBSCRIBED + b.collected + b.unsolicited;
  const cashOut = PROCEEDS + b.feesPaid + b.claimsPaid;
  expect(cashIn - cashOut, "the model's cash adds up").to.equal(b.reserve + trancheClaimable + b.dust);
  return {
    subscribed: SUBSCRIBED.toString(),
    collected: b.collected.toString(),
    guarantorPaid: "0",
    unsolicited: b.unsolicited.toString(),
    proceedsPaid: PROCEEDS.toString(),
    feesPaid: b.feesPaid.toString(),
    claimsPaid: b.claimsPaid.toString(),
    refunded: "0",
    escrow: "0",
    collectionsAvailable: "0",
    reserve: b.reserve.toString(),
    trancheClaimable: trancheClaimable.toString(),
    dust: b.dust.toString(),
    tokenBalance: (cashIn - cashOut).toString(),
    unbooked: "0",
    balanced: true,
  };
};

/** The report as the API must show it: the model's figures, the period from 1, dates ISO 8601, the books after it. */
const expectedReport = (o: ModelReport, distributedAt: bigint, dust: bigint, books: Books) => ({
  period: Number(o.period) + 1,
  startDate: iso(o.startDate),
  endDate: iso(o.endDate),
  distributedAt: iso(distributedAt),
  collections: o.collections.toString(),
  reserveDrawn: o.reserveDrawn.toString(),
  guarantorCalled: o.guarantorCalled.toString(),
  guarantorPaid: o.guarantorPaid.toString(),
  feesPaid: o.feesPaid.toString(),
  interestPaid: o.interestPaid.map(String),
  principalPaid: o.principalPaid.map(String),
  reserveReleased: o.reserveReleased.toString(),
  reserveToppedUp: o.reserveToppedUp.toString(),
  subordinatedPaid: o.subordinatedPaid.toString(),
  dust: dust.toString(),
  reserveAfter: o.reserveAfter.toString(),
  feeArrearsAfter: o.feeArrearsAfter.toString(),
  interestArrearsAfter: o.interestArrearsAfter.map(String),
  outstandingAfter: o.outstandingAfter.map(String),
  books: expectedBooks(books),
});

/**
 * Two periods: period 1 distributes the first instalment; the investor then claims, the licensee pays the second
 * instalment and sends some tokens directly (booked); period 2 distributes those. Returns what the API answered at
 * each moment and the model's account of each period.
 */
async function twoPeriods() {
  const f: Pool = await openPoolGateway();
  const { investor, licensee } = f.people;
  const startDate = BigInt(f.config.startDate);
  const ends = f.config.periodEnds.map(BigInt);
  // The model of SPEC §6: period 1 runs from the stated start date, not from the second the pool closed.
  const model = poolModelOf(f.config);
  expect(await f.pool.closedAt(), "the pool closed after its start date").to.be.greaterThan(startDate);
  const seniorToken = new TokenModel(SENIOR_FACE);
  const subordinatedToken = new TokenModel(SUBORDINATED_FACE);
  /** Each credit is one distribution of the token: its rounding is dust. */
  const creditAll = (o: ModelReport) => {
    const amounts: [TokenModel, bigint][] = [
      [seniorToken, o.interestPaid[0]],
      [seniorToken, o.principalPaid[0]],
      [subordinatedToken, o.subordinatedPaid],
    ];
    const credited = amounts.map(([token, amount]) => token.distribute(amount));
    return { credited: sum(credited), dust: sum(amounts.map(([, a]) => a)) - sum(credited) };
  };

  model.collections += INSTALMENT;
  const first = model.distribute();
  const firstCredit = creditAll(first);
  await afterPeriod(f.pool, 0);
  const distributed1 = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
  expectStatus(distributed1, 201);
  // Taken right after period 1: the pool now, its own reconcile() and the period's reconciliation.
  const viewAfter1 = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
  const balanceAfter1 = await f.coin.balanceOf(f.poolAddress);
  const rec1Then = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=1`);
  expectStatus(rec1Then, 200);

  const claimTx = await (await f.pool.connect(investor).claim(0)).wait();
  const claimed = seniorToken.accumulatedOf(SENIOR_FACE);
  await f.coin.connect(licensee).approve(f.poolAddress, INSTALMENT);
  const payTx = await (await f.pool.connect(licensee).payInstalment(f.licences.subLicenceId, 1, INSTALMENT)).wait();
  await f.coin.connect(licensee).transfer(f.poolAddress, UNSOLICITED);
  const booked = await f.as("auditor").post(`/pools/${f.poolAddress}/book-unsolicited`);
  expectStatus(booked, 201);

  model.collections += INSTALMENT + UNSOLICITED;
  const second = model.distribute();
  const secondCredit = creditAll(second);
  await afterPeriod(f.pool, 1);
  const distributed2 = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
  expectStatus(distributed2, 201);
  // The investor claims again, after period 2: what accrued since its first claim.
  const secondClaimTx = await (await f.pool.connect(investor).claim(0)).wait();
  const secondClaim = seniorToken.accumulatedOf(SENIOR_FACE) - claimed;
  // The investor's own transaction: the read model has it once its follower has polled.
  await (await indexFor(f.deployment)).model.follower.syncOnce();
  const at = async (blockNumber: number) => BigInt((await ethers.provider.getBlock(blockNumber))!.timestamp);
  return {
    f,
    startDate,
    ends,
    first: { ...first, ...firstCredit, res: distributed1, at: await at(distributed1.body.proof.blockNumber) },
    second: {
      ...second,
      ...secondCredit,
      res: distributed2,
      at: await at(distributed2.body.proof.blockNumber),
    },
    viewAfter1,
    balanceAfter1,
    rec1Then: rec1Then.body,
    claim: { amount: claimed, receipt: claimTx! },
    secondClaim: { amount: secondClaim, receipt: secondClaimTx! },
    payment: payTx!,
    booked: booked.body,
  };
}

/** The conservation figures as a map section.item → amount. */
const byName = (figures: Figure[]) =>
  Object.fromEntries(
    figures.map((row) => [`${row.section}.${row.item}${row.tranche ? `.${row.tranche}` : ""}`, row.amount]),
  );

const BOM = "\uFEFF";

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks; the file opens with a byte order mark. */
function parseCsv(csv: string): string[][] {
  expect(csv.startsWith(BOM), "a UTF-8 byte order mark first, for Excel").to.equal(true);
  const text = csv.slice(BOM.length);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe("gateway — pools over two periods (numbering, reconciliation as of a period, trace links, CSV)", () => {
  let story: Awaited<ReturnType<typeof twoPeriods>>;
  before(async () => {
    story = await twoPeriods();
  });

  it("numbers periods from 1 in the distribute answer, its report (dates ISO 8601) and the pool's waterfall steps", async () => {
    const { first, second, startDate, ends, claim } = story;
    expect([first.startDate, first.endDate, second.startDate]).to.deep.equal([startDate, ends[0], ends[0]]);
    const books1: Books = {
      collected: INSTALMENT,
      unsolicited: 0n,
      feesPaid: first.feesPaid,
      claimsPaid: 0n,
      reserve: first.reserveAfter,
      credited: first.credited,
      dust: first.dust,
    };
    expect(first.res.body.period).to.equal(1);
    expect(first.res.body.report).to.deep.equal(expectedReport(first, first.at, first.dust, books1));
    expect(second.res.body.period).to.equal(2);
    const books2: Books = {
      collected: 2n * INSTALMENT,
      unsolicited: UNSOLICITED,
      feesPaid: first.feesPaid + second.feesPaid,
      claimsPaid: claim.amount,
      reserve: second.reserveAfter,
      credited: first.credited + second.credited,
      dust: first.dust + second.dust,
    };
    expect(second.res.body.report).to.deep.equal(expectedReport(second, second.at, second.dust, books2));
    // Each tranche's outstanding and pool factor after the period, from the model's outstanding balances.
    const factor = (outstanding: bigint, face: bigint) => {
      const scaled = (outstanding * 10n ** 18n) / face;
      const text = `${scaled / 10n ** 18n}.${(scaled % 10n ** 18n).toString().padStart(18, "0")}`;
      return text.replace(/0+$/, "").replace(/\.$/, "");
    };
    const faces = [SENIOR_FACE, SUBORDINATED_FACE];
    for (const p of [first, second]) {
      expect(p.res.body.tranchesAfter).to.deep.equal(
        p.outstandingAfter.map((o, tranche) => ({
          tranche,
          outstanding: o.toString(),
          poolFactor: factor(o, faces[tranche]),
        })),
      );
    }
    expect(
      first.res.body.steps.map((s: { step: string; tranche: number | null; amount: string }) => [
        s.step,
        s.tranche,
        s.amount,
      ]),
    ).to.deep.equal([
      ["Fees", null, first.feesPaid.toString()],
      ["SeniorInterest", 0, first.interestPaid[0].toString()],
      ["SeniorPrincipal", 0, first.principalPaid[0].toString()],
    ]);
  });

  it("reconciles period 1 after period 2 ran exactly as it stood right after period 1's distribution", async () => {
    const { f, first, viewAfter1, balanceAfter1, rec1Then } = story;
    const res = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=1`);
    expectStatus(res, 200);
    // The same answer as when it was asked right after period 1…
    expect(res.body).to.deep.equal(rec1Then);
    const c = res.body.conservation;
    const figures = byName(c.figures);
    // …equal to the pool's own reconcile() taken at that time…
    const then = viewAfter1.reconciliation;
    for (const key of Object.keys(then).filter((k) => k !== "balanced")) {
      const section = ["subscribed", "collected", "guarantorPaid", "unsolicited"].includes(key)
        ? "cashIn"
        : ["proceedsPaid", "feesPaid", "claimsPaid", "refunded"].includes(key)
          ? "cashOut"
          : ["tokenBalance", "unbooked"].includes(key)
            ? "check"
            : "held";
      expect(figures[`${section}.${key}`], key).to.equal(then[key]);
    }
    // …and to an independent account of the events up to it.
    const subscribed = SENIOR_FACE + SUBORDINATED_FACE;
    const proceeds = subscribed - RESERVE_TARGET;
    const held = first.reserveAfter + first.credited + first.dust;
    expect(figures).to.deep.include({
      "cashIn.subscribed": subscribed.toString(),
      "cashIn.collected": INSTALMENT.toString(),
      "cashIn.guarantorPaid": "0",
      "cashIn.unsolicited": "0",
      "cashIn.total": (subscribed + INSTALMENT).toString(),
      "cashOut.proceedsPaid": proceeds.toString(),
      "cashOut.feesPaid": first.feesPaid.toString(),
      "cashOut.claimsPaid": "0",
      "cashOut.refunded": "0",
      "cashOut.total": (proceeds + first.feesPaid).toString(),
      "held.escrow": "0",
      "held.collectionsAvailable": "0",
      "held.reserve": first.reserveAfter.toString(),
      "held.trancheClaimable": first.credited.toString(),
      "held.dust": first.dust.toString(),
      "held.total": held.toString(),
      "check.tokenBalance": balanceAfter1.toString(),
      "check.unbooked": "0",
    });
    expect(balanceAfter1).to.equal(subscribed + INSTALMENT - proceeds - first.feesPaid);
    expect(c).to.include({ cashIn: (subscribed + INSTALMENT).toString(), held: held.toString(), balanced: true });
    expect(c.asOf).to.deep.equal({ blockNumber: first.res.body.proof.blockNumber, at: iso(first.at) });
    // The period's own figures: the model's report, field by field.
    const report = byName(res.body.figures);
    expect(report).to.deep.include({
      "report.collections": INSTALMENT.toString(),
      "report.feesPaid": first.feesPaid.toString(),
      "report.interestPaid.LF27A1": first.interestPaid[0].toString(),
      "report.principalPaid.LF27A1": first.principalPaid[0].toString(),
      "report.principalPaid.LF27S": first.principalPaid[1].toString(),
      "report.subordinatedPaid": first.subordinatedPaid.toString(),
      "report.reserveAfter": first.reserveAfter.toString(),
      "report.dust": first.dust.toString(),
    });
    expect(res.body).to.include({ period: 1, digestMatches: true, startDate: iso(story.startDate) });
    // The books the route shows are the pool's own snapshot in the report; an account of the events alone agrees.
    const receipt = await ethers.provider.getTransactionReceipt(first.res.body.proof.transactionHash);
    const fromEvents = await booksFromEvents(f.pool, {
      blockNumber: receipt!.blockNumber,
      transactionIndex: receipt!.index,
    });
    expect(fromEvents).to.deep.equal(first.res.body.report.books);
    for (const [key, value] of Object.entries(fromEvents).filter(([k]) => k !== "balanced")) {
      expect(Object.entries(figures).find(([k]) => k.endsWith(`.${key}`))?.[1], key).to.equal(value);
    }
  });

  it("reconciles period 2 as its report's books, which the events up to it add up to, and the pool now", async () => {
    const { f, first, second, claim } = story;
    const res = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=2`);
    expectStatus(res, 200);
    const receipt = await ethers.provider.getTransactionReceipt(second.res.body.proof.transactionHash);
    const at2 = { blockNumber: receipt!.blockNumber, transactionIndex: receipt!.index };
    expect(await booksFromEvents(f.pool, at2)).to.deep.equal(second.res.body.report.books);
    const figures = byName(res.body.conservation.figures);
    const subscribed = SENIOR_FACE + SUBORDINATED_FACE;
    const cashIn = subscribed + 2n * INSTALMENT + UNSOLICITED;
    const cashOut = subscribed - RESERVE_TARGET + first.feesPaid + second.feesPaid + claim.amount;
    // The one holder of the senior tranche took all it was credited; its second claim, after period 2, is not counted.
    expect(claim.amount).to.equal(first.credited);
    expect(figures).to.deep.include({
      "cashIn.collected": (2n * INSTALMENT).toString(),
      "cashIn.unsolicited": UNSOLICITED.toString(),
      "cashIn.total": cashIn.toString(),
      "cashOut.feesPaid": (first.feesPaid + second.feesPaid).toString(),
      "cashOut.claimsPaid": claim.amount.toString(),
      "cashOut.total": cashOut.toString(),
      "held.collectionsAvailable": "0",
      "held.reserve": second.reserveAfter.toString(),
      "held.trancheClaimable": (first.credited + second.credited - claim.amount).toString(),
      "held.dust": (first.dust + second.dust).toString(),
      "check.tokenBalance": (cashIn - cashOut).toString(),
    });
    expect(res.body.conservation.balanced).to.equal(true);
    expect(BigInt(res.body.conservation.cashIn)).to.equal(cashIn);

    const now = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation`);
    expectStatus(now, 200);
    expect(now.body).to.include({ period: null, digest: null });
    expect(now.body.figures).to.deep.equal([]);
    const current = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body.reconciliation;
    expect(byName(now.body.conservation.figures)).to.deep.include({
      "cashIn.total": cashIn.toString(),
      "check.tokenBalance": current.tokenBalance,
      "held.trancheClaimable": current.trancheClaimable,
    });
  });

  it("refuses ?period=0 (400 naming the field) and names the period in a refusal from 1, its end in ISO 8601", async () => {
    const { f, ends } = story;
    const zero = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=0`);
    expectStatus(zero, 400);
    expect(zero.body.error).to.include({ code: "VALIDATION_FAILED", field: "query.period" });
    const early = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
    expectStatus(early, 422);
    expect(early.body.error.code).to.equal("PERIOD_NOT_ENDED");
    expect(early.body.error.details.args).to.deep.equal({ period: 3, endDate: iso(ends[2]) });
    const notYet = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=3`);
    expectStatus(notYet, 404);
    expect(notYet.body.error.field).to.equal("query.period");
  });

  it("traces each payment to the period that distributed it and each claim to the credits it drew on", async () => {
    const { f, first, second, claim, secondClaim, payment, booked } = story;
    const res = await f.as("auditor").get(`/pools/${f.poolAddress}/trace`);
    expectStatus(res, 200);
    const trace = res.body;
    const proof1 = first.res.body.proof;
    const proof2 = second.res.body.proof;
    const [receivable] = trace.receivables;
    const [i0, i1] = receivable.instalments;
    expect(i0.payments[0].distributedIn).to.deep.equal({ period: 1, ...proof1 });
    expect(i1.payments[0]).to.deep.include({ amount: INSTALMENT.toString(), transactionHash: payment.hash });
    expect(i1.payments[0].distributedIn).to.deep.equal({ period: 2, ...proof2 });
    expect(trace.unsolicited).to.deep.equal([
      { amount: UNSOLICITED.toString(), ...booked.proof, distributedIn: { period: 2, ...proof2 } },
    ]);
    expect(trace.periods.map((p: { period: number }) => p.period)).to.deep.equal([1, 2]);
    expect(trace.periods[1].report).to.deep.equal(second.res.body.report);
    expect(trace.asOf.at).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const [senior, subordinated] = trace.tranches;
    const credit = (period: number, step: string, amount: bigint, proof: object) => ({
      period,
      step,
      amount: amount.toString(),
      ...proof,
    });
    const seniorCredits = [
      credit(1, "SeniorInterest", first.interestPaid[0], proof1),
      credit(1, "SeniorPrincipal", first.principalPaid[0], proof1),
      credit(2, "SeniorInterest", second.interestPaid[0], proof2),
      credit(2, "SeniorPrincipal", second.principalPaid[0], proof2),
    ].filter((c) => c.amount !== "0");
    expect(senior.credited).to.deep.equal(seniorCredits);
    expect(subordinated.credited).to.deep.equal(
      [credit(2, "Subordinated", second.subordinatedPaid, proof2)].filter((c) => c.amount !== "0"),
    );
    expect(senior.claims).to.deep.equal([
      {
        holder: f.people.investor.address,
        amount: claim.amount.toString(),
        blockNumber: claim.receipt.blockNumber,
        transactionHash: claim.receipt.hash,
        since: null,
        drewOn: seniorCredits.filter((c) => c.period === 1),
      },
      {
        holder: f.people.investor.address,
        amount: secondClaim.amount.toString(),
        blockNumber: secondClaim.receipt.blockNumber,
        transactionHash: secondClaim.receipt.hash,
        since: { blockNumber: claim.receipt.blockNumber, transactionHash: claim.receipt.hash },
        drewOn: seniorCredits.filter((c) => c.period === 2),
      },
    ]);
    expect(secondClaim.amount).to.equal(second.credited);
  });

  it("answers the CSV in UTF-8 with unique rows, full ids and plain numbers", async () => {
    const { f, first } = story;
    const res = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation.csv?period=1`);
    expectStatus(res, 200);
    expect(res.headers["content-type"]).to.equal("text/csv; charset=utf-8");
    const [header, ...rows] = parseCsv(res.text);
    expect(header).to.deep.equal(["section", "item", "tranche", "value"]);
    for (const row of rows) expect(row, row.join("|")).to.have.length(4);
    const keys = rows.map(([section, item, tranche]) => `${section}|${item}|${tranche}`);
    expect(
      keys.filter((k, i) => keys.indexOf(k) !== i),
      "duplicate rows",
    ).to.deep.equal([]);
    const value = (section: string, item: string, tranche = "") =>
      rows.find((r) => r[0] === section && r[1] === item && r[2] === tranche)?.[3];
    expect(value("period", "number")).to.equal("1");
    expect(value("period", "pool")).to.equal(f.poolAddress);
    expect(value("period", "digest")).to.match(/^0x[0-9a-f]{64}$/);
    expect(value("period", "transactionHash")).to.equal(first.res.body.proof.transactionHash);
    expect(value("report", "principalPaid", "LF27A1")).to.equal(first.principalPaid[0].toString());
    for (const row of rows.filter((r) => ["report", "cashIn", "cashOut", "held"].includes(r[0]))) {
      expect(row[3], row.join("|")).to.match(/^[0-9]+$/);
    }
  });
});

/** A pool whose tranches are named `symbols` (senior, subordinated), period 1 distributed: its CSV as `query` asks. */
async function firstPeriodCsv(symbols: string[], names: string[], query: string) {
  const f = await openPoolGateway({
    tranches: [
      { name: names[0], symbol: symbols[0], face: SENIOR_FACE, couponBps: 500 },
      { name: names[1], symbol: symbols[1], face: SUBORDINATED_FACE, couponBps: 0 },
    ],
  });
  await afterPeriod(f.pool, 0);
  expectStatus(await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`), 201);
  const res = await f.as("auditor").get(`/pools/${f.poolAddress}/${query}`);
  expectStatus(res, 200);
  return { text: res.text, rows: parseCsv(res.text).slice(1) };
}

describe("gateway — the pool CSV in a spreadsheet", () => {
  it("neutralises cells starting with = + - @ (a tranche symbol chosen by the originator)", async () => {
    const symbols = ['=HYPERLINK("http://x","y")', "@SUM(1+1)"];
    const { rows } = await firstPeriodCsv(symbols, ["Senior", "Junior"], "reconciliation?period=1&format=csv");
    const tranches = [...new Set(rows.map((r) => r[2]).filter((t) => t !== ""))];
    expect(tranches).to.deep.equal(symbols.map((s) => `'${s}`));
    for (const cell of rows.flat()) expect(cell, cell).not.to.match(/^[=+\-@\t\r]/);
  });

  it("starts with the UTF-8 byte order mark so that Excel shows the Chinese names of tranches", async () => {
    const symbols = ["优先A1", "次级"];
    const { text, rows } = await firstPeriodCsv(symbols, ["许可费优先级", "许可费次级"], "reconciliation.csv?period=1");
    expect([...Buffer.from(text, "utf8").subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(rows.filter((r) => r[1] === "principalPaid").map((r) => r[2])).to.deep.equal(symbols);
  });

  it("keeps rows unique when the originator gave two tranches one symbol, telling them apart by index", async () => {
    const { rows } = await firstPeriodCsv(["LF", "LF"], ["Senior", "Junior"], "reconciliation.csv?period=1");
    const keys = rows.map(([section, item, tranche]) => `${section}|${item}|${tranche}`);
    expect(
      keys.filter((k, i) => keys.indexOf(k) !== i),
      "duplicate rows",
    ).to.deep.equal([]);
    expect(rows.filter((r) => r[1] === "principalPaid").map((r) => r[2])).to.deep.equal(["LF #0", "LF #1"]);
  });
});

describe("gateway — the pool routes' units in OpenAPI", () => {
  type Schema = {
    $ref?: string;
    type?: string | string[];
    pattern?: string;
    example?: unknown;
    description?: string;
    enum?: unknown[];
    properties?: Record<string, Schema>;
    items?: Schema;
    anyOf?: Schema[];
    oneOf?: Schema[];
    allOf?: Schema[];
  };
  type Operation = {
    requestBody?: { content: Record<string, { schema: Schema }> };
    responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  };

  it("documents every money field as an integer string of the smallest unit, and enums by name", async () => {
    const f = await openPoolGateway();
    const doc = (await f.as("auditor").get("/openapi.json")).body;
    const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split("/").pop()!] : s);
    const money: string[] = [];
    const undocumented: string[] = [];
    const numberedEnums: string[] = [];
    const walk = (schema: Schema, path: string, key: string, seen: Set<Schema>) => {
      const s = resolve(schema);
      if (seen.has(s)) return;
      const inner = new Set(seen).add(s);
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`, k, inner);
      if (s.items) walk(s.items, `${path}[]`, key, inner);
      for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(alt, path, key, inner);
      const leaf = s.type === "string" && key !== "";
      const looksLikeMoney = s.pattern === "^[0-9]+$" || (leaf && /smallest unit/.test(s.description ?? ""));
      if (looksLikeMoney) {
        money.push(path);
        if (!/integer string in the payment token's smallest unit/.test(s.description ?? "")) undocumented.push(path);
      }
      if (/^(status|step|seniority)$/.test(key) && (s.type === "integer" || s.type === "number" || !s.enum)) {
        numberedEnums.push(path);
      }
    };
    for (const [route, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      if (!route.startsWith("/v1/pools")) continue;
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${route}`;
        for (const media of Object.values(op.requestBody?.content ?? {}))
          walk(media.schema, `${name} body`, "", new Set());
        for (const [status, answer] of Object.entries(op.responses)) {
          if (!status.startsWith("2")) continue;
          for (const media of Object.values(answer.content ?? {}))
            walk(media.schema, `${name} ${status}`, "", new Set());
        }
      }
    }
    expect(undocumented, "money without its unit").to.deep.equal([]);
    expect(numberedEnums, "enums as bare numbers").to.deep.equal([]);
    for (const field of [
      "GET /v1/pools/{pool} 200.tranches[].face",
      "GET /v1/pools/{pool} 200.guarantor.calls[].amount",
      "POST /v1/pools/{pool}/distribute 201.report.feesPaid",
      "POST /v1/pools/{pool}/distribute 201.report.interestPaid[]",
      "GET /v1/pools/{pool}/trace 200.receivables[].instalments[].payments[].amount",
      "GET /v1/pools/{pool}/trace 200.tranches[].claims[].drewOn[].amount",
      "GET /v1/pools/{pool}/reconciliation 200.conservation.cashIn",
      "POST /v1/pools/prepare-deployment body.guaranteeCap",
      "POST /v1/pools/prepare-deployment body.tranches[].face",
      "POST /v1/pools/{pool}/prepare/subscribe body.amount",
      "POST /v1/pools/{pool}/instalments/{licenceId}/{index}/default 201.absorbedByExcessReturn",
      "POST /v1/pools/{pool}/distribute 201.report.outstandingAfter[]",
      "POST /v1/pools/{pool}/distribute 201.report.books.trancheClaimable",
      "GET /v1/pools/{pool} 200.losses.absorbedByExcessReturn",
      "GET /v1/pools/{pool}/trace 200.receivables[].instalments[].defaults[].allocated[].amount",
    ]) {
      expect(money, field).to.include(field);
    }
  });
});
