/**
 * ReceivablePool: the period waterfall (SPEC §6.4 and **Conventions**) on worked examples. Every figure the pool
 * reports is compared with the independent BigInt model of test/helpers/waterfallModel.ts, run over the same plan;
 * collections are summed from the plan, never read back from the pool. Money in fen (1 CNY = 100 fen).
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, keccak256 } from "ethers";
import { cny } from "../definitions/riskSchemes";
import { replay, type ReportValues, type ScenarioRun } from "./helpers/poolScenario";
import {
  DEFAULTED_INSTALMENT,
  END_OF_TERM,
  LICENSEE_7,
  LOSSES,
  TWO_CLASSES,
  WORKED_EXAMPLE,
} from "./helpers/waterfallScenarios";
import { creditedToHolders, type PeriodOutcome } from "./helpers/waterfallModel";

const BOOKS =
  "tuple(uint256 subscribed, uint256 collected, uint256 guarantorPaid, uint256 unsolicited, uint256 proceedsPaid, " +
  "uint256 feesPaid, uint256 claimsPaid, uint256 refunded, uint256 escrow, uint256 collectionsAvailable, " +
  "uint256 reserve, uint256 trancheClaimable, uint256 dust, uint256 tokenBalance, uint256 unbooked, bool balanced)";
const PERIOD_REPORT =
  "tuple(uint256 period, uint40 startDate, uint40 endDate, uint40 distributedAt, uint256 collections, " +
  "uint256 reserveDrawn, uint256 guarantorCalled, uint256 guarantorPaid, uint256 feesPaid, uint256[] interestPaid, " +
  "uint256[] principalPaid, uint256 reserveReleased, uint256 reserveToppedUp, uint256 subordinatedPaid, uint256 dust, " +
  `uint256 reserveAfter, uint256 feeArrearsAfter, uint256[] interestArrearsAfter, uint256[] outstandingAfter, ${BOOKS} books)`;
const Step = {
  Fees: 0n,
  SeniorInterest: 1n,
  ReserveDraw: 2n,
  GuarantorCall: 3n,
  SeniorPrincipal: 4n,
  ReserveTopUp: 5n,
  ReserveRelease: 6n,
  Subordinated: 7n,
};
const WAD = 10n ** 18n;
const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

/** The dust the chain kept before period `k` (what the wind-up sweeps into the subordinated payment). */
const dustBefore = (run: ScenarioRun, k: number) => sum(run.observations.slice(0, k).map((o) => o.report.dust));

/** The model's outcome of period `k`; at wind-up the subordinated tranche also receives the chain's dust account. */
function outcomeOf(run: ScenarioRun, k: number): PeriodOutcome {
  const o = run.model.periods[k].outcome;
  return run.model.periods[k].windUp ? { ...o, subordinatedPaid: o.subordinatedPaid + dustBefore(run, k) } : o;
}

/** What the model credits each tranche in a period: interest and principal to seniors, everything to the last. */
const creditsPerTranche = (o: PeriodOutcome) => [
  ...o.interestPaid.map((interest, i) => interest + o.principalPaid[i]),
  o.subordinatedPaid,
];

/** The waterfall steps the model takes, as the pool's WaterfallStepped events name them (zero steps are silent). */
function modelSteps(o: PeriodOutcome) {
  const senior = o.interestPaid.length;
  const steps: [bigint, number, bigint][] = [
    [Step.ReserveDraw, 0, o.reserveDrawn],
    [Step.GuarantorCall, 0, o.guarantorCalled],
    [Step.Fees, 0, o.feesPaid],
    ...o.interestPaid.map((x, i): [bigint, number, bigint] => [Step.SeniorInterest, i, x]),
    [Step.ReserveRelease, 0, o.reserveReleased],
    ...o.principalPaid.slice(0, senior).map((x, i): [bigint, number, bigint] => [Step.SeniorPrincipal, i, x]),
    [Step.ReserveTopUp, 0, o.reserveToppedUp],
    [Step.Subordinated, senior, o.subordinatedPaid],
  ];
  return steps
    .filter(([, , amount]) => amount !== 0n)
    .map(([step, tranche, amount]) => ({ step, tranche: BigInt(tranche), amount }));
}

/** The report the model expects, dust aside (dust depends on the token's per-holder accounting), with the books
 * the pool showed right after the distribution (checked against the model by the conservation test). */
function expectedReport(run: ScenarioRun, k: number, dust: bigint): ReportValues {
  const p = run.model.periods[k];
  const o = outcomeOf(run, k);
  const r = run.observations[k].reconciliation;
  return {
    period: BigInt(k),
    startDate: p.startDate,
    endDate: p.endDate,
    distributedAt: p.distributedAt,
    collections: o.collections,
    reserveDrawn: o.reserveDrawn,
    guarantorCalled: o.guarantorCalled,
    guarantorPaid: o.guarantorPaid,
    feesPaid: o.feesPaid,
    interestPaid: o.interestPaid,
    principalPaid: o.principalPaid,
    reserveReleased: o.reserveReleased,
    reserveToppedUp: o.reserveToppedUp,
    subordinatedPaid: o.subordinatedPaid,
    dust,
    reserveAfter: o.reserveAfter,
    feeArrearsAfter: o.feeArrearsAfter,
    interestArrearsAfter: o.interestArrearsAfter,
    outstandingAfter: o.outstandingAfter,
    books: r,
  };
}

/** What every scenario must show after every period, whatever its story. */
function shouldDistributeAsTheModel(fixture: () => Promise<ScenarioRun>) {
  it("reports every period's waterfall field by field as the model computes it", async () => {
    const run = await loadFixture(fixture);
    expect(run.observations).to.have.length(run.model.periods.length);
    run.observations.forEach((obs, k) => {
      const expected = expectedReport(run, k, obs.report.dust);
      if (run.model.periods[k].windUp) expect(obs.report.dust, "the wind-up leaves no dust").to.equal(0n);
      for (const field of Object.keys(expected) as (keyof ReportValues)[]) {
        expect(obs.report[field], `period ${k} ${field}`).to.deep.equal(expected[field]);
      }
      const byStep = (a: { step: bigint; tranche: bigint }, b: { step: bigint; tranche: bigint }) =>
        Number(a.step - b.step) || Number(a.tranche - b.tranche);
      expect([...obs.steps].sort(byStep), `period ${k} steps`).to.deep.equal(
        modelSteps(outcomeOf(run, k)).sort(byStep),
      );
    });
  });

  it("previews each distribution exactly: previewDistribution() before it shows the model's figures and the steps it then takes", async () => {
    const run = await loadFixture(fixture);
    const distributed = run.model.periods.filter((p) => !p.windUp);
    expect(run.previews).to.have.length(distributed.length);
    run.previews.forEach((preview, k) => {
      const p = run.model.periods[k];
      const o = p.outcome;
      const { inflow, allocation: a } = preview;
      const senior = o.interestPaid.length;
      // The model's figures (computed without the chain), field by field.
      expect(
        [preview.period, preview.startDate, preview.endDate, preview.collections],
        `period ${k} heading`,
      ).to.deep.equal([BigInt(k), p.startDate, p.endDate, o.collections]);
      expect(
        [preview.reserveDrawn, preview.guarantorCalled, preview.guarantorPaid],
        `period ${k} shortfall`,
      ).to.deep.equal([o.reserveDrawn, o.guarantorCalled, o.guarantorPaid]);
      expect(inflow.available, `period ${k} cash to divide`).to.equal(o.collections + o.reserveDrawn + o.guarantorPaid);
      expect(a.feesPaid, `period ${k} fees`).to.equal(o.feesPaid);
      expect([...a.interestPaid], `period ${k} interest`).to.deep.equal(o.interestPaid);
      expect(a.reserveReleased, `period ${k} reserve released`).to.equal(o.reserveReleased);
      expect([...a.principalPaid], `period ${k} principal`).to.deep.equal(o.principalPaid);
      expect(a.reserveToppedUp, `period ${k} top-up`).to.equal(o.reserveToppedUp);
      expect(a.subordinatedPaid, `period ${k} subordinated`).to.equal(o.subordinatedPaid);
      // What stays due after it: the dues less what is paid (the model's arrears and outstanding after the period).
      expect(inflow.feeDue - a.feesPaid, `period ${k} fee arrears`).to.equal(o.feeArrearsAfter);
      expect(
        [...inflow.interestDue].map((due, i) => due - a.interestPaid[i]),
        `period ${k} interest arrears`,
      ).to.deep.equal(o.interestArrearsAfter);
      expect(
        [...inflow.outstanding].map((x, i) => x - a.principalPaid[i]),
        `period ${k} outstanding after`,
      ).to.deep.equal(o.outstandingAfter);
      // The steps distribute() then took, in the order it emitted them (SPEC §6: shortfall cover, fees, senior
      // interest by priority, reserve release, senior principal by priority, top-up, subordinated; zero is silent).
      const previewSteps: [bigint, number, bigint][] = [
        [Step.ReserveDraw, 0, preview.reserveDrawn],
        [Step.GuarantorCall, 0, preview.guarantorCalled],
        [Step.Fees, 0, a.feesPaid],
        ...[...a.interestPaid].map((x, i): [bigint, number, bigint] => [Step.SeniorInterest, i, x]),
        [Step.ReserveRelease, 0, a.reserveReleased],
        ...[...a.principalPaid].slice(0, senior).map((x, i): [bigint, number, bigint] => [Step.SeniorPrincipal, i, x]),
        [Step.ReserveTopUp, 0, a.reserveToppedUp],
        [Step.Subordinated, senior, a.subordinatedPaid],
      ];
      expect(run.observations[k].steps, `period ${k} steps`).to.deep.equal(
        previewSteps
          .filter(([, , amount]) => amount !== 0n)
          .map(([step, tranche, amount]) => ({ step, tranche: BigInt(tranche), amount })),
      );
    });
  });

  it("keeps each tranche's outstanding, interest arrears and write-down where the model has them", async () => {
    const run = await loadFixture(fixture);
    run.observations.forEach((obs, k) => {
      const after = run.model.periods[k].after;
      after.tranches.forEach((t, i) => {
        expect(obs.tranches[i].outstanding, `period ${k} tranche ${i} outstanding`).to.equal(t.outstanding);
        expect(obs.tranches[i].interestArrears, `period ${k} tranche ${i} arrears`).to.equal(t.interestArrears);
        expect(obs.tranches[i].writtenDown, `period ${k} tranche ${i} written down`).to.equal(t.writtenDown);
      });
    });
  });

  it("reports each senior pool factor as outstanding ÷ face, scaled by 1e18", async () => {
    const run = await loadFixture(fixture);
    run.observations.forEach((obs, k) => {
      run.model.periods[k].after.tranches.slice(0, -1).forEach((t, i) => {
        expect(obs.poolFactors[i], `period ${k} tranche ${i}`).to.equal((t.outstanding * WAD) / t.face);
        expect(obs.tokenPoolFactors[i], `period ${k} token ${i}`).to.equal((t.outstanding * WAD) / t.face);
      });
    });
  });

  it("stores keccak256(abi.encode(report)) of the model's report as the period digest", async () => {
    const run = await loadFixture(fixture);
    run.observations.forEach((obs, k) => {
      const digest = keccak256(
        AbiCoder.defaultAbiCoder().encode([PERIOD_REPORT], [expectedReport(run, k, obs.report.dust)]),
      );
      expect(obs.storedDigest, `period ${k} stored`).to.equal(digest);
      expect(obs.eventDigest, `period ${k} emitted`).to.equal(digest);
    });
  });

  it("balances the books after every period: cash in = cash out + held, to the fen", async () => {
    const run = await loadFixture(fixture);
    const { subscribed } = run.model;
    const proceeds = subscribed - run.spec.reserveTarget;
    let received = 0n; // instalments and guarantor payments
    let fees = 0n;
    let credited = 0n;
    let dust = 0n;
    run.observations.forEach((obs, k) => {
      const o = run.model.periods[k].outcome;
      received += o.collections + o.guarantorPaid;
      if (run.model.periods[k].windUp) dust = 0n; // the wind-up swept the dust account into the subordinated
      fees += o.feesPaid;
      credited += creditedToHolders(o);
      dust += obs.report.dust;
      const cashIn = subscribed + received;
      const cashOut = proceeds + fees + obs.claimsPaid;
      expect(cashIn, `period ${k} cash in = out + held`).to.equal(cashOut + obs.poolBalance);
      // Held = the reserve + whatever was credited to holders (or to dust) and not yet claimed.
      expect(obs.poolBalance, `period ${k} held`).to.equal(o.reserveAfter + credited - obs.claimsPaid);
      expect(obs.feeRecipientBalance, `period ${k} fees received`).to.equal(fees);

      const r = obs.reconciliation;
      expect(r.balanced, `period ${k} balanced`).to.equal(true);
      expect([r.subscribed, r.collected, r.guarantorPaid], `period ${k} in`).to.deep.equal([
        subscribed,
        obs.collected,
        obs.guarantorPaid,
      ]);
      expect(obs.collected + obs.guarantorPaid, `period ${k} received`).to.equal(received);
      expect(obs.report.books, `period ${k} books in the report`).to.deep.equal(r);
      expect([r.proceedsPaid, r.feesPaid, r.claimsPaid, r.refunded], `period ${k} out`).to.deep.equal([
        proceeds,
        fees,
        obs.claimsPaid,
        0n,
      ]);
      expect([r.escrow, r.collectionsAvailable, r.reserve, r.dust], `period ${k} buckets`).to.deep.equal([
        0n,
        0n,
        o.reserveAfter,
        dust,
      ]);
      expect(r.trancheClaimable + r.dust, `period ${k} claimable + dust`).to.equal(credited - obs.claimsPaid);
      expect(r.tokenBalance, `period ${k} token balance`).to.equal(obs.poolBalance);
    });
  });

  it("credits holders pro rata and keeps only rounding in the dust account", async () => {
    const run = await loadFixture(fixture);
    const toTranche = run.spec.tranches.map(() => 0n);
    let dust = 0n;
    let swept = 0n;
    run.observations.forEach((obs, k) => {
      const o = run.model.periods[k].outcome;
      creditsPerTranche(o).forEach((x, i) => (toTranche[i] += x));
      if (run.model.periods[k].windUp) {
        // The wind-up sweeps the dust account to the subordinated holders: it counted once where rounding left it.
        toTranche[toTranche.length - 1] += dust;
        swept = dust;
        dust = 0n;
      }
      // Each credit to a tranche may lose less than a fen to the per-token rounding.
      const credits = [...o.interestPaid, ...o.principalPaid.slice(0, -1), o.subordinatedPaid].filter((x) => x !== 0n);
      expect(obs.report.dust, `period ${k} dust`).to.be.lte(BigInt(credits.length));
      dust += obs.report.dust;
      expect(sum(obs.totalCredited) + dust + swept, `period ${k} credited + dust`).to.equal(sum(toTranche));
      obs.holders.forEach((holders, i) => {
        const face = run.spec.tranches[i].face;
        for (const h of holders) {
          // A holder's share of what reached the tranche, rounded down; the token may round once more.
          const share = (toTranche[i] * h.balance) / face;
          expect(share - h.accumulated, `period ${k} tranche ${i} holder ${h.party}`).to.be.oneOf([0n, 1n]);
        }
        const residue = obs.totalCredited[i] - sum(holders.map((h) => h.accumulated));
        expect(residue, `period ${k} tranche ${i} residue`).to.be.gte(0n).and.lt(BigInt(holders.length));
        expect(sum(holders.map((h) => h.claimable)) + residue, `period ${k} tranche ${i} claimable`).to.equal(
          obs.tranches[i].claimable,
        );
      });
    });
  });
}

const workedExampleFixture = () => replay(WORKED_EXAMPLE);
const unauthorisedGuarantorFixture = () => replay({ ...WORKED_EXAMPLE, guarantorAuthorised: false });
const twoClassesFixture = () => replay(TWO_CLASSES);
const endOfTermFixture = () => replay(END_OF_TERM);
const lossesFixture = () => replay(LOSSES);
const WOUND_UP = 3n; // PoolStatus.WoundUp

/** The events of the plan's instalment actions on `licence`/`k` of a kind, by name, as argument lists. */
const actionEvents = (run: ScenarioRun, kind: "pay" | "default", licence: number, k: number, name: string) =>
  run.instalmentActions
    .filter((a) => a.kind === kind && a.licence === licence && a.instalment === k)
    .flatMap((a) => a.receipt.logs.map((log) => run.pool.interface.parseLog(log)))
    .filter((e) => e?.name === name)
    .map((e) => [...e!.args]);

/** Every holder of the plan claims what it can; then the pool holds only what no holder's rounding reaches. */
async function claimEverything(run: ScenarioRun) {
  const { investors, originator } = run.fixture.signers;
  let residue = 0n;
  for (const [i, t] of run.spec.tranches.entries()) {
    let accrued = 0n;
    for (const h of t.holders) {
      const signer = h.party === "originator" ? originator : investors[h.party];
      if ((await run.tokens[i].claimableOf(signer)) > 0n) await run.pool.connect(signer).claim(i);
      accrued += await run.tokens[i].accumulatedOf(signer);
    }
    residue += (await run.tokens[i].totalCredited()) - accrued;
  }
  return residue;
}

describe("ReceivablePool waterfall", () => {
  describe("worked example: 10 licences × 16 quarters, senior 95 % / subordinated 5 %, reserve 5 %, one licensee late then defaulting", () => {
    shouldDistributeAsTheModel(workedExampleFixture);

    it("draws the reserve for year one's shortfall and calls the guarantor once the reserve runs out", async () => {
      const run = await loadFixture(workedExampleFixture);
      // Collections: Σ (12,000 + 1,500·i) yuan over i = 0..9 = 187,500 yuan = 18,750,000 fen.
      // Interest: 9,500,000,000 × 580 × 91 ÷ 3,650,000 = 137,372,602.7… → 137,372,602 (no principal repaid in year one).
      // Shortfall: 15,000,000 fees + 137,372,602 − 18,750,000 = 133,622,602 a quarter, drawn from the reserve.
      for (const k of [0, 1, 2]) {
        const r = run.observations[k].report;
        expect(
          [r.collections, r.feesPaid, r.interestPaid[0], r.reserveDrawn, r.guarantorCalled],
          `period ${k}`,
        ).to.deep.equal([18_750_000n, 15_000_000n, 137_372_602n, 133_622_602n, 0n]);
      }
      // Period 3: the reserve has 500,000,000 − 3 × 133,622,602 = 99,132,194 left; all of it is drawn, and the
      // guarantor is called for 133,622,602 − 99,132,194 = 34,490,408. It authorised the pool, so the call is pulled in
      // the same distribution: period 3 pays senior interest in full and leaves no arrears.
      const r3 = run.observations[3].report;
      expect([
        r3.reserveDrawn,
        r3.guarantorCalled,
        r3.guarantorPaid,
        r3.interestPaid[0],
        r3.reserveAfter,
      ]).to.deep.equal([99_132_194n, 34_490_408n, 34_490_408n, 137_372_602n, 0n]);
      expect(run.observations[3].tranches[0].interestArrears).to.equal(0n);
    });

    it("pulls the guarantor's money in the period that called it; the next period owes nothing from it", async () => {
      const run = await loadFixture(workedExampleFixture);
      const call = await run.pool.guarantorCallOf(0);
      expect([call.period, call.amount, call.paid]).to.deep.equal([3n, 34_490_408n, 34_490_408n]);
      expect(await run.pool.guarantorCallCount()).to.equal(1n);
      const events = run.observations[3].steps.filter((s) => s.step === Step.GuarantorCall);
      expect(events).to.deep.equal([{ step: Step.GuarantorCall, tranche: 0n, amount: 34_490_408n }]);
      // Period 4: every full instalment (Σ 11,040,000 yuan + Σ 13·i fen = 1,104,000,585 fen), nothing from the guarantor.
      const r4 = run.observations[4].report;
      expect([r4.collections, r4.guarantorCalled, r4.guarantorPaid]).to.deep.equal([1_104_000_585n, 0n, 0n]);
      // Interest 137,372,602 and no arrears; no reserve top-up while the senior is outstanding (turbo).
      expect([r4.interestPaid[0], r4.reserveToppedUp, r4.subordinatedPaid]).to.deep.equal([137_372_602n, 0n, 0n]);
      expect(r4.principalPaid[0]).to.equal(1_104_000_585n - 15_000_000n - 137_372_602n);
    });

    it("retires the senior by turbo before it tops the reserve up, and releases the reserve in the last period", async () => {
      const run = await loadFixture(workedExampleFixture);
      const reports = run.observations.map((o) => o.report);
      for (let k = 4; k < 13; k++) {
        expect(reports[k].principalPaid[0], `period ${k} turbo`).to.be.gt(0n);
        expect(
          [reports[k].reserveToppedUp, reports[k].subordinatedPaid],
          `period ${k} nothing below the senior`,
        ).to.deep.equal([0n, 0n]);
      }
      expect(run.observations[13].tranches[0].outstanding).to.equal(0n);
      expect(reports[13].reserveToppedUp).to.be.gt(0n).and.lt(cny(5_000_000));
      expect(reports[13].subordinatedPaid).to.equal(0n);
      expect(reports[13].reserveToppedUp + reports[14].reserveToppedUp).to.equal(cny(5_000_000));
      expect(reports[14].reserveAfter).to.equal(cny(5_000_000));
      expect(reports[14].subordinatedPaid).to.be.gt(0n);
      expect([reports[15].reserveReleased, reports[15].reserveToppedUp, reports[15].reserveAfter]).to.deep.equal([
        cny(5_000_000),
        0n,
        0n,
      ]);
      // Period 15: the released reserve and the collections, less fees, all go to the subordinated tranche.
      expect(reports[15].subordinatedPaid).to.equal(cny(5_000_000) + reports[15].collections - cny(150_000));
      expect(await run.pool.poolFactorOf(0)).to.equal(0n);
    });

    it("records licensee 7's late payment, its defaults, and still distributes a defaulted instalment paid later", async () => {
      const run = await loadFixture(workedExampleFixture);
      const licenceId = run.licenceIds[LICENSEE_7];
      const licensee = run.fixture.signers.licensees[LICENSEE_7].address;
      const full = WORKED_EXAMPLE.schedules[LICENSEE_7][8]; // 600,000 yuan + 91 fen
      const events = (kind: "pay" | "default", k: number, name: string) =>
        run.instalmentActions
          .filter((a) => a.kind === kind && a.licence === LICENSEE_7 && a.instalment === k)
          .flatMap((a) => a.receipt.logs.map((log) => run.pool.interface.parseLog(log)))
          .filter((e) => e?.name === name)
          .map((e) => [...e!.args]);
      expect(events("pay", 5, "InstalmentPaid")).to.deep.equal([[licenceId, 5n, licensee, full, false, false]]);
      expect(events("pay", 6, "InstalmentPaid")).to.deep.equal([[licenceId, 6n, licensee, full, true, false]]);
      // Each defaulted instalment's unpaid amount is written off the subordinated tranche while it lasts.
      let subordinated = cny(5_000_000);
      for (let k = 8; k <= 14; k++) {
        expect(events("default", k, "InstalmentDefaulted"), `instalment ${k}`).to.deep.equal([
          [licenceId, BigInt(k), full],
        ]);
        const principalBefore = run.observations.slice(0, k + 1).reduce((s, o) => s + o.report.principalPaid[1], 0n);
        const writeDown = [full, subordinated - principalBefore].reduce((a, b) => (a < b ? a : b));
        expect(events("default", k, "LossAllocated"), `instalment ${k} loss`).to.deep.equal(
          writeDown === 0n ? [] : [[1n, writeDown]],
        );
        subordinated -= writeDown;
      }
      // Instalment 8, defaulted in period 9, is paid in period 12: late, defaulted, and part of period 12's cash.
      expect(events("pay", 8, "InstalmentPaid")).to.deep.equal([[licenceId, 8n, licensee, full, true, true]]);
      const record = await run.pool.instalmentRecordOf(licenceId, 8);
      expect([record.paid, record.defaulted]).to.deep.equal([full, true]);
      expect(run.observations[12].report.collections - run.observations[11].report.collections).to.equal(full);
      expect(events("pay", 9, "InstalmentPaid")).to.deep.equal([]);
    });
  });

  describe("the worked example with a guarantor that did not authorise the pool", () => {
    shouldDistributeAsTheModel(unauthorisedGuarantorFixture);

    it("records the call unpaid, carries the shortfall as arrears, and counts the later payment when it arrives", async () => {
      const run = await loadFixture(unauthorisedGuarantorFixture);
      // Period 3: the pull fails (no allowance) but the distribution goes on: 137,372,602 − 34,490,408 = 102,882,194
      // of interest is paid, 34,490,408 stays in arrears, and the call is recorded unpaid.
      const r3 = run.observations[3].report;
      expect([r3.guarantorCalled, r3.guarantorPaid, r3.interestPaid[0]]).to.deep.equal([34_490_408n, 0n, 102_882_194n]);
      expect(run.observations[3].tranches[0].interestArrears).to.equal(34_490_408n);
      const call = await run.pool.guarantorCallOf(0);
      expect([call.period, call.amount, call.paid]).to.deep.equal([3n, 34_490_408n, 34_490_408n]);
      // The guarantor pays on day 10 of period 4: the cash is part of period 4's collections and pays the arrears.
      const r4 = run.observations[4].report;
      expect(r4.collections).to.equal(1_104_000_585n + 34_490_408n);
      expect([r4.interestPaid[0], r4.reserveToppedUp, r4.subordinatedPaid]).to.deep.equal([171_863_010n, 0n, 0n]);
      expect(r4.principalPaid[0]).to.equal(1_104_000_585n + 34_490_408n - 15_000_000n - 171_863_010n);
      expect(run.observations[4].tranches[0].interestArrears).to.equal(0n);
    });
  });

  describe("the end of the term: senior retired, reserve released, two quiet periods after it, wind-up", () => {
    shouldDistributeAsTheModel(endOfTermFixture);

    it("retires the senior and releases the reserve into the last scheduled period", async () => {
      const run = await loadFixture(endOfTermFixture);
      const [r0, r1] = run.observations.map((o) => o.report);
      // Period 0: interest 100,000,000 × 400 × 91 ÷ 3,650,000 = 997,260.2… → 997,260; principal 70,000,000 − 100,000
      // − 997,260 = 68,902,740; the senior's outstanding after it: 31,097,260.
      expect([r0.feesPaid, r0.interestPaid[0], r0.principalPaid[0]]).to.deep.equal([100_000n, 997_260n, 68_902_740n]);
      expect(r0.outstandingAfter).to.deep.equal([31_097_260n, 5_000_000n]);
      // Period 1: interest 31,097,260 × 400 × 91 ÷ 3,650,000 = 310,120.6… → 310,120; the reserve (500,000) is released:
      // 50,000,000 − 100,000 − 310,120 + 500,000 = 50,089,880 retires the senior's 31,097,260; the subordinated gets
      // the 18,992,620 left (5,000,000 of it principal).
      expect([r1.interestPaid[0], r1.reserveReleased, r1.reserveAfter]).to.deep.equal([310_120n, 500_000n, 0n]);
      expect(r1.principalPaid).to.deep.equal([31_097_260n, 5_000_000n]);
      expect(r1.subordinatedPaid).to.equal(18_992_620n);
      expect(r1.outstandingAfter).to.deep.equal([0n, 0n]);
    });

    it("after the term, a period without collections charges no fee and never calls the guarantor", async () => {
      const run = await loadFixture(endOfTermFixture);
      for (const k of [2, 3]) {
        const { report, steps, feeRecipientBalance } = run.observations[k];
        expect(
          [report.collections, report.feesPaid, report.reserveDrawn, report.guarantorCalled, report.feeArrearsAfter],
          `period ${k}`,
        ).to.deep.equal([0n, 0n, 0n, 0n, 0n]);
        expect(steps, `period ${k} steps`).to.deep.equal([]);
        expect(feeRecipientBalance, `period ${k}: two scheduled fees only`).to.equal(200_000n);
      }
      // Each after-term period is as long as the last scheduled one (91 days).
      expect(run.observations[3].report.endDate - run.observations[3].report.startDate).to.equal(91n * 86_400n);
      expect(await run.pool.guarantorCallCount()).to.equal(0n);
    });

    it("winds up: the dust goes to the subordinated holders, nothing more is accepted, nothing stays but rounding", async () => {
      const run = await loadFixture(endOfTermFixture);
      const windUp = run.observations[4].report;
      const dust = sum(run.observations.slice(0, 4).map((o) => o.report.dust));
      expect([windUp.period, windUp.subordinatedPaid, windUp.dust, windUp.feesPaid]).to.deep.equal([4n, dust, 0n, 0n]);
      expect(windUp.books.dust).to.equal(0n);
      expect(await run.pool.status()).to.equal(WOUND_UP);
      const { licensees } = run.fixture.signers;
      // Each call is made only when its expectation awaits it: a rejected promise nobody awaits yet is an
      // "uncaught" error for mocha on a slow machine.
      const refused = [
        () => run.pool.connect(licensees[0]).payInstalment(run.licenceIds[0], 0, 1n),
        () => run.pool.distribute(),
        () => run.pool.bookUnsolicited(),
        () => run.pool.markDefaulted(run.licenceIds[0], 0),
        () => run.pool.connect(run.fixture.signers.originator).windUp(),
      ];
      for (const call of refused)
        await expect(call()).to.be.revertedWithCustomError(run.pool, "PoolStatusInvalid").withArgs(WOUND_UP);
      const residue = await claimEverything(run);
      expect(await run.fixture.stablecoin.balanceOf(run.pool)).to.equal(residue);
      expect(residue, "less than a unit per holder").to.be.lt(3n);
    });
  });

  describe("losses beyond the subordinated tranche: A2 before A1, the rest absorbed by excess return", () => {
    shouldDistributeAsTheModel(lossesFixture);

    it("allocates each default's whole unpaid amount, and the allocations add up to the defaulted amounts", async () => {
      const run = await loadFixture(lossesFixture);
      const id = (licence: number) => run.licenceIds[licence];
      const d = DEFAULTED_INSTALMENT; // 6,428,572
      // Before the defaults, period 0 retired 20,000,000 − 50,000 − 448,767 − 373,972 = 19,127,261 of A1
      // (interest: 60,000,000 × 300 × 91 ÷ 3,650,000 = 448,767.1…; 30,000,000 × 500 × 91 ÷ 3,650,000 = 373,972.6…).
      // Outstanding: A1 40,872,739, A2 30,000,000, subordinated 10,000,000.
      const expected: bigint[][][] = [
        [[2n, d]], // subordinated 10,000,000 → 3,571,428
        [
          [2n, 3_571_428n],
          [1n, d - 3_571_428n],
        ], // subordinated exhausted, A2 takes 2,857,144 → 27,142,856
        [[1n, d]],
        [[1n, d]],
        [[1n, d]],
        [[1n, d]], // A2 → 1,428,568
        [
          [1n, 1_428_568n],
          [0n, d - 1_428_568n],
        ], // A2 exhausted, A1 takes 5,000,004 → 35,872,735
      ];
      for (let licence = 0; licence < 7; licence++) {
        expect(actionEvents(run, "default", licence, 0, "InstalmentDefaulted")).to.deep.equal([[id(licence), 0n, d]]);
        expect(actionEvents(run, "default", licence, 0, "LossAllocated"), `licence ${licence}`).to.deep.equal(
          expected[licence],
        );
      }
      // Licence 7's 40,000,000 exceeds A1's 35,872,735: the 4,127,265 beyond it is absorbed by excess return.
      expect(actionEvents(run, "default", 7, 1, "LossAllocated")).to.deep.equal([[0n, 35_872_735n]]);
      expect(actionEvents(run, "default", 7, 1, "LossAbsorbedByExcessReturn")).to.deep.equal([[id(7), 1n, 4_127_265n]]);
      const written = await Promise.all([0, 1, 2].map(async (i) => (await run.pool.trancheOf(i)).writtenDown));
      expect(written).to.deep.equal([40_872_739n, 30_000_000n, 10_000_000n]);
      const defaulted = 7n * d + 40_000_000n;
      expect([await run.pool.lossesDefaulted(), await run.pool.lossesAbsorbed()]).to.deep.equal([
        defaulted,
        4_127_265n,
      ]);
      expect(sum(written) + 4_127_265n).to.equal(defaulted);
    });

    it("distributes a later payment of a defaulted instalment as collections and records it as a recovery", async () => {
      const run = await loadFixture(lossesFixture);
      const licensee = run.fixture.signers.licensees[0].address;
      expect(actionEvents(run, "pay", 0, 0, "InstalmentPaid")).to.deep.equal([
        [run.licenceIds[0], 0n, licensee, DEFAULTED_INSTALMENT, true, true],
      ]);
      expect(actionEvents(run, "pay", 0, 0, "RecoveryReceived")).to.deep.equal([
        [run.licenceIds[0], 0n, DEFAULTED_INSTALMENT],
      ]);
      expect(run.observations[2].report.collections).to.equal(DEFAULTED_INSTALMENT);
      // Nothing is outstanding any more: the recovery pays fees and A1's interest arrears, the rest is excess return.
      const r2 = run.observations[2].report;
      expect(r2.outstandingAfter).to.deep.equal([0n, 0n, 0n]);
      expect(r2.subordinatedPaid).to.equal(DEFAULTED_INSTALMENT - r2.feesPaid - sum(r2.interestPaid));
      expect(await run.pool.status()).to.equal(WOUND_UP);
    });
  });

  describe("two senior classes A1 and A2", () => {
    shouldDistributeAsTheModel(twoClassesFixture);

    it("pays each class interest at its own coupon on its own outstanding, while it has any", async () => {
      const run = await loadFixture(twoClassesFixture);
      const interest = run.observations.map((o) => o.report.interestPaid);
      // Period 0: A1 3,000,000,000 × 320 × 91 ÷ 3,650,000 = 23,934,246.5… → 23,934,246;
      //           A2 2,400,000,000 × 450 × 91 ÷ 3,650,000 = 26,926,027.3… → 26,926,027.
      // Period 1: A1 1,684,860,273 → 13,441,953.8… → 13,441,953.  Period 2: A1 359,228,253 → 2,865,952.
      // Period 3: A1 is repaid; A2 1,423,020,232 × 450 × 91 ÷ 3,650,000 = 15,965,117.9… → 15,965,117.
      expect(interest).to.deep.equal([
        [23_934_246n, 26_926_027n],
        [13_441_953n, 26_926_027n],
        [2_865_952n, 26_926_027n],
        [0n, 15_965_117n],
      ]);
    });

    it("retires A1 before A2 receives any principal", async () => {
      const run = await loadFixture(twoClassesFixture);
      const principal = run.observations.map((o) => o.report.principalPaid);
      // Period 0: 1,370,000,000 − 4,000,000 fees − 23,934,246 − 26,926,027 = 1,315,139,727, all to A1.
      // Period 1: 1,370,000,000 − 4,000,000 − 13,441,953 − 26,926,027 = 1,325,632,020, all to A1 (359,228,253 left).
      // Period 2: 1,370,000,000 − 4,000,000 − 2,865,952 − 26,926,027 = 1,336,208,021: A1's last 359,228,253, then
      //           A2 976,979,768.
      expect(principal.slice(0, 3)).to.deep.equal([
        [1_315_139_727n, 0n, 0n],
        [1_325_632_020n, 0n, 0n],
        [359_228_253n, 976_979_768n, 0n],
      ]);
      run.observations.forEach((obs, k) => {
        if (obs.report.principalPaid[1] !== 0n) expect(obs.tranches[0].outstanding, `period ${k}`).to.equal(0n);
      });
    });

    it("releases the reserve into the last period's waterfall before senior principal", async () => {
      const run = await loadFixture(twoClassesFixture);
      const r3 = run.observations[3].report;
      // 1,370,000,000 − 4,000,000 − 15,965,117 = 1,350,034,883 cannot retire A2's 1,423,020,232 on its own;
      // with the 300,000,000 released it can, and the subordinated tranche gets the 227,014,651 left.
      expect([r3.reserveReleased, r3.reserveToppedUp, r3.reserveAfter]).to.deep.equal([300_000_000n, 0n, 0n]);
      expect(r3.principalPaid).to.deep.equal([0n, 1_423_020_232n, 227_014_651n]);
      expect(r3.subordinatedPaid).to.equal(227_014_651n);
      expect(run.observations[3].tranches.map((t) => t.outstanding)).to.deep.equal([
        0n,
        0n,
        cny(6_000_000) - 227_014_651n,
      ]);
    });
  });
});
