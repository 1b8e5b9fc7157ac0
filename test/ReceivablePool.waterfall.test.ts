/**
 * ReceivablePool: the period waterfall (SPEC §6.4 and **Conventions**) on worked examples. Every figure the pool
 * reports is compared with the independent BigInt model of test/helpers/waterfallModel.ts, run over the same plan;
 * collections are summed from the plan, never read back from the pool. Money in fen (1 CNY = 100 fen).
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, keccak256 } from "ethers";
import { cny } from "../scripts/lib/riskSchemes";
import { replay, type ReportValues, type ScenarioRun } from "./helpers/poolScenario";
import { LICENSEE_7, TWO_CLASSES, WORKED_EXAMPLE } from "./helpers/waterfallScenarios";
import { creditedToHolders, type PeriodOutcome } from "./helpers/waterfallModel";

const PERIOD_REPORT =
  "tuple(uint256 period, uint40 startDate, uint40 endDate, uint40 distributedAt, uint256 collections, " +
  "uint256 reserveDrawn, uint256 guarantorCalled, uint256 feesPaid, uint256[] interestPaid, uint256[] principalPaid, " +
  "uint256 reserveReleased, uint256 reserveToppedUp, uint256 subordinatedPaid, uint256 dust, uint256 reserveAfter)";
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

/** The report the model expects, dust aside (dust depends on the token's per-holder accounting). */
function expectedReport(run: ScenarioRun, k: number, dust: bigint): ReportValues {
  const p = run.model.periods[k];
  const o = p.outcome;
  return {
    period: BigInt(k),
    startDate: p.startDate,
    endDate: p.endDate,
    distributedAt: p.distributedAt,
    collections: o.collections,
    reserveDrawn: o.reserveDrawn,
    guarantorCalled: o.guarantorCalled,
    feesPaid: o.feesPaid,
    interestPaid: o.interestPaid,
    principalPaid: o.principalPaid,
    reserveReleased: o.reserveReleased,
    reserveToppedUp: o.reserveToppedUp,
    subordinatedPaid: o.subordinatedPaid,
    dust,
    reserveAfter: o.reserveAfter,
  };
}

/** What every scenario must show after every period, whatever its story. */
function shouldDistributeAsTheModel(fixture: () => Promise<ScenarioRun>) {
  it("reports every period's waterfall field by field as the model computes it", async () => {
    const run = await loadFixture(fixture);
    expect(run.observations).to.have.length(run.spec.periods);
    run.observations.forEach((obs, k) => {
      const expected = expectedReport(run, k, obs.report.dust);
      for (const field of Object.keys(expected) as (keyof ReportValues)[]) {
        expect(obs.report[field], `period ${k} ${field}`).to.deep.equal(expected[field]);
      }
      const byStep = (a: { step: bigint; tranche: bigint }, b: { step: bigint; tranche: bigint }) =>
        Number(a.step - b.step) || Number(a.tranche - b.tranche);
      expect([...obs.steps].sort(byStep), `period ${k} steps`).to.deep.equal(
        modelSteps(run.model.periods[k].outcome).sort(byStep),
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
      received += o.collections;
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
    run.observations.forEach((obs, k) => {
      const o = run.model.periods[k].outcome;
      creditsPerTranche(o).forEach((x, i) => (toTranche[i] += x));
      // Each credit to a tranche may lose less than a fen to the per-token rounding.
      const credits = [...o.interestPaid, ...o.principalPaid.slice(0, -1), o.subordinatedPaid].filter((x) => x !== 0n);
      expect(obs.report.dust, `period ${k} dust`).to.be.lte(BigInt(credits.length));
      dust += obs.report.dust;
      expect(sum(obs.totalCredited) + dust, `period ${k} credited + dust`).to.equal(sum(toTranche));
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
const twoClassesFixture = () => replay(TWO_CLASSES);

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
      // guarantor is called for 133,622,602 − 99,132,194 = 34,490,408, which stays interest arrears meanwhile.
      const r3 = run.observations[3].report;
      expect([r3.reserveDrawn, r3.guarantorCalled, r3.interestPaid[0], r3.reserveAfter]).to.deep.equal([
        99_132_194n,
        34_490_408n,
        102_882_194n,
        0n,
      ]);
      expect(run.observations[3].tranches[0].interestArrears).to.equal(34_490_408n);
    });

    it("takes the guarantor's payment into the next period's collections and pays the arrears with it", async () => {
      const run = await loadFixture(workedExampleFixture);
      const call = await run.pool.guarantorCallOf(0);
      expect([call.period, call.amount, call.paid]).to.deep.equal([3n, 34_490_408n, 34_490_408n]);
      expect(await run.pool.guarantorCallCount()).to.equal(1n);
      // Period 4: every full instalment (Σ 11,040,000 yuan + Σ 13·i fen = 1,104,000,585 fen) plus the guarantor's cash.
      const r4 = run.observations[4].report;
      expect(r4.collections).to.equal(1_104_000_585n + 34_490_408n);
      // Interest 137,372,602 + arrears 34,490,408; no reserve top-up while the senior is outstanding (turbo).
      expect([r4.interestPaid[0], r4.reserveToppedUp, r4.subordinatedPaid]).to.deep.equal([171_863_010n, 0n, 0n]);
      expect(r4.principalPaid[0]).to.equal(1_104_000_585n + 34_490_408n - 15_000_000n - 171_863_010n);
      expect(run.observations[4].tranches[0].interestArrears).to.equal(0n);
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
