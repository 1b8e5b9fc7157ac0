/**
 * Scenarios for the waterfall tests (SPEC §6): a plan written as data (licences and their instalments, who pays
 * which instalment when, which instalments are marked defaulted, who claims), the reference model run over the plan
 * (waterfallModel.ts, no chain involved), and a replay of the same plan on chain that records what the pool reports
 * and holds right after each distribution. Expectations are left to the tests.
 *
 * Time: the pool's start date is its closing; period p runs from start + p quarters to start + (p + 1) quarters; a
 * moment {period, day} is `day` days into period p. Period p is distributed on day 1 of period p + 1. A guarantor
 * that authorised the pool pays each call in the distribution that makes it; one that did not pays on day 10, so
 * that its cash enters the next period's collections. Periods after the calendar (`afterTerm`) are as long.
 */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, type Result, type Signer, type TransactionReceipt } from "ethers";
import type { ReceivablePool } from "../../typechain-types";
import { deployLicensingFixture, QUARTER } from "./poolFixture";
import { DAY } from "./registryFixture";
import {
  allocateLoss,
  openingState,
  runPeriod,
  type PeriodOutcome,
  type PoolState,
  type PoolTerms,
} from "./waterfallModel";
import type { ModelReport } from "./poolModel";

/** An investor of the fixture by index, or the originator (who keeps the subordinated tranche). */
export type Party = number | "originator";

export interface Moment {
  period: number;
  day: number;
}

export interface ScenarioSpec {
  periods: number;
  feePerPeriod: bigint;
  reserveTarget: bigint;
  guaranteeCap: bigint;
  /** Senior classes in order of priority, the subordinated tranche last; each fully subscribed by its holders. */
  tranches: {
    name: string;
    symbol: string;
    face: bigint;
    couponBps: number;
    holders: { party: Party; amount: bigint }[];
  }[];
  /** Licence i is granted to licensee i; its instalments, one per period. */
  schedules: bigint[][];
  /** Instalment k falls due on this day of period k. */
  dueDay: number;
  /** Each payment pays the whole instalment. */
  payments: { licence: number; instalment: number; at: Moment }[];
  defaults: { licence: number; instalment: number; at: Moment }[];
  claims: { party: Party; tranche: number; at: Moment }[];
  /** The guarantor authorised the pool in advance (ERC-20 allowance) — the normal case; default true. */
  guarantorAuthorised?: boolean;
  /** Periods distributed after the calendar (default 0). */
  afterTerm?: number;
  /** The originator winds the pool up at this moment, after the last distribution. */
  windUpAt?: Moment;
}

/** Every period the plan distributes: the calendar's and those after it. */
export const periodCount = (spec: ScenarioSpec) => spec.periods + (spec.afterTerm ?? 0);

export const DISTRIBUTION_DAY = 1;
export const GUARANTOR_PAYS_DAY = 10;

export const moment = (start: bigint, m: Moment) => start + BigInt(m.period) * QUARTER + BigInt(m.day) * DAY;
export const dueDate = (spec: ScenarioSpec, start: bigint, instalment: number) =>
  moment(start, { period: instalment, day: spec.dueDay });
const distributionTime = (start: bigint, period: number) =>
  moment(start, { period: period + 1, day: DISTRIBUTION_DAY });

export const poolTerms = (spec: ScenarioSpec): PoolTerms => ({
  feePerPeriod: spec.feePerPeriod,
  reserveTarget: spec.reserveTarget,
  guaranteeCap: spec.guaranteeCap,
  scheduledPeriods: spec.periods,
});

export interface ModelPeriod {
  startDate: bigint;
  endDate: bigint;
  distributedAt: bigint;
  /** Per tranche: losses of defaults marked since the previous distribution. */
  allocated: bigint[];
  /** What excess return absorbed of them. */
  absorbed: bigint;
  outcome: PeriodOutcome;
  after: PoolState;
  /** The wind-up's final period (its subordinated payment leaves out the dust account, which only the chain knows). */
  windUp?: true;
}

export interface ModelRun {
  /** The distributed periods, then the wind-up's final period if the plan winds up. */
  periods: ModelPeriod[];
  /** A call the guarantor did not pay at once is paid in full on day 10 of the next period. */
  guarantorPayments: { callId: number; amount: bigint; at: bigint }[];
  /** Per default of the plan, in its order: the loss allocated per tranche and what excess return absorbed. */
  losses: { allocated: bigint[]; absorbed: bigint; unpaid: bigint }[];
  subscribed: bigint;
}

/** The plan through the reference model: collections are summed from the plan, never read from the chain. */
export function modelRun(spec: ScenarioSpec, start: bigint): ModelRun {
  const terms = poolTerms(spec);
  let state = openingState(
    terms,
    spec.tranches.map((t) => ({ face: t.face, couponBps: t.couponBps })),
  );
  const paidBefore = (licence: number, instalment: number, t: bigint) =>
    spec.payments
      .filter((p) => p.licence === licence && p.instalment === instalment && moment(start, p.at) < t)
      .reduce((sum, p) => sum + spec.schedules[p.licence][p.instalment], 0n);
  const guarantorPayments: ModelRun["guarantorPayments"] = [];
  const authorised = spec.guarantorAuthorised ?? true;
  const periods: ModelPeriod[] = [];
  const losses: ModelRun["losses"] = spec.defaults.map(() => ({ allocated: [], absorbed: 0n, unpaid: 0n }));
  const total = periodCount(spec);
  const windows = Array.from({ length: total + (spec.windUpAt ? 1 : 0) }, (_, period) => period);
  let callId = 0;
  for (const period of windows) {
    const windUp = period === total;
    const from = period === 0 ? start : distributionTime(start, period - 1);
    const to = windUp ? moment(start, spec.windUpAt!) : distributionTime(start, period);
    const inWindow = (t: bigint) => t > from && t <= to;

    const allocated = spec.tranches.map(() => 0n);
    let absorbed = 0n;
    for (const [n, d] of spec.defaults.entries()) {
      const t = moment(start, d.at);
      if (!inWindow(t)) continue;
      const unpaid = spec.schedules[d.licence][d.instalment] - paidBefore(d.licence, d.instalment, t);
      const result = allocateLoss(state, unpaid);
      state = result.state;
      result.allocated.forEach((x, i) => (allocated[i] += x));
      absorbed += result.absorbed;
      losses[n] = { allocated: result.allocated, absorbed: result.absorbed, unpaid };
    }
    const instalments = spec.payments
      .filter((p) => inWindow(moment(start, p.at)))
      .reduce((sum, p) => sum + spec.schedules[p.licence][p.instalment], 0n);
    const fromGuarantor = guarantorPayments.filter((g) => inWindow(g.at)).reduce((sum, g) => sum + g.amount, 0n);

    const startDate = moment(start, { period, day: 0 });
    const endDate = windUp ? to : moment(start, { period: period + 1, day: 0 });
    state = { ...state, guarantorPaid: state.guarantorPaid + fromGuarantor };
    const { state: after, outcome } = runPeriod(terms, state, {
      period,
      startDate,
      endDate,
      collections: instalments + fromGuarantor,
      guarantorPays: authorised,
      windingUp: windUp,
    });
    state = after;
    if (outcome.guarantorCalled !== 0n) {
      if (outcome.guarantorPaid === 0n) {
        const at = moment(start, { period: period + 1, day: GUARANTOR_PAYS_DAY });
        guarantorPayments.push({ callId, amount: outcome.guarantorCalled, at });
      }
      callId += 1;
    }
    periods.push({
      startDate,
      endDate,
      distributedAt: to,
      allocated,
      absorbed,
      outcome,
      after,
      ...(windUp ? { windUp: true as const } : {}),
    });
  }
  const subscribed = spec.tranches.flatMap((t) => t.holders).reduce((sum, h) => sum + h.amount, 0n);
  return { periods, guarantorPayments, losses, subscribed };
}

// ───────────── the replay on chain ─────────────

/** The books a PeriodReport carries (the Reconciliation struct), as decoded. */
export interface BooksValues {
  subscribed: bigint;
  collected: bigint;
  guarantorPaid: bigint;
  unsolicited: bigint;
  proceedsPaid: bigint;
  feesPaid: bigint;
  claimsPaid: bigint;
  refunded: bigint;
  escrow: bigint;
  collectionsAvailable: bigint;
  reserve: bigint;
  trancheClaimable: bigint;
  dust: bigint;
  tokenBalance: bigint;
  unbooked: bigint;
  balanced: boolean;
}

/** PeriodReport as decoded from the PeriodDistributed event (uint40 fields as bigints too): the model's report plus
 * what only the chain knows — when it was distributed, the rounding dust of its credits, and the books after it. */
export type ReportValues = ModelReport & { distributedAt: bigint; dust: bigint; books: BooksValues };

/** A Reconciliation (from reconcile() or a report) as plain values. */
export const booksOf = (r: unknown) => (r as Result).toObject() as unknown as BooksValues;

/** A decoded PeriodReport as plain values. */
export function reportValues(r: Result): ReportValues {
  const list = (x: Result) => [...x] as bigint[];
  return {
    period: r.period,
    startDate: r.startDate,
    endDate: r.endDate,
    distributedAt: r.distributedAt,
    collections: r.collections,
    reserveDrawn: r.reserveDrawn,
    guarantorCalled: r.guarantorCalled,
    guarantorPaid: r.guarantorPaid,
    feesPaid: r.feesPaid,
    interestPaid: list(r.interestPaid),
    principalPaid: list(r.principalPaid),
    reserveReleased: r.reserveReleased,
    reserveToppedUp: r.reserveToppedUp,
    subordinatedPaid: r.subordinatedPaid,
    dust: r.dust,
    reserveAfter: r.reserveAfter,
    feeArrearsAfter: r.feeArrearsAfter,
    interestArrearsAfter: list(r.interestArrearsAfter),
    outstandingAfter: list(r.outstandingAfter),
    books: booksOf(r.books),
  };
}

export interface HolderObservation {
  party: Party;
  balance: bigint;
  accumulated: bigint;
  claimable: bigint;
}

/** What the chain shows right after a distribution. */
export interface PeriodObservation {
  report: ReportValues;
  eventDigest: string;
  storedDigest: string;
  steps: { step: bigint; tranche: bigint; amount: bigint }[];
  /** reconcile() read right after the distribution. */
  reconciliation: BooksValues;
  tranches: Awaited<ReturnType<ReceivablePool["trancheOf"]>>[];
  poolFactors: bigint[];
  tokenPoolFactors: bigint[];
  totalCredited: bigint[];
  holders: HolderObservation[][];
  poolBalance: bigint;
  feeRecipientBalance: bigint;
  /** Cash paid out on claims so far, as the claimants' balances moved. */
  claimsPaid: bigint;
  collected: bigint;
  guarantorPaid: bigint;
}

export interface InstalmentAction {
  kind: "pay" | "default";
  licence: number;
  instalment: number;
  receipt: TransactionReceipt;
}

/** Deploy the licensing fixture, record the licences, create, subscribe and close the pool, then play the plan. */
export async function replay(spec: ScenarioSpec) {
  const f = await deployLicensingFixture();
  const { originator, guarantor, feeRecipient, licensees, investors } = f.signers;
  const start = f.now + 10n * DAY;
  const model = modelRun(spec, start);
  const signerOf = (party: Party): Signer => (party === "originator" ? originator : investors[party]);

  const licenceIds: bigint[] = [];
  for (const [i, amounts] of spec.schedules.entries()) {
    const schedule = amounts.map((amount, k) => ({ dueDate: dueDate(spec, start, k), amount }));
    licenceIds.push(await f.recordSubLicence(licensees[i], schedule));
  }
  const { pool, tranches: tokens } = await f.createPool({
    receivables: licenceIds,
    startDate: start,
    periodEnds: Array.from({ length: spec.periods }, (_, p) => moment(start, { period: p + 1, day: 0 })),
    feePerPeriod: spec.feePerPeriod,
    reserveTarget: spec.reserveTarget,
    guaranteeCap: spec.guaranteeCap,
    tranches: spec.tranches.map(({ name, symbol, face, couponBps }) => ({ name, symbol, face, couponBps })),
  });
  for (const [i, t] of spec.tranches.entries()) {
    for (const h of t.holders) await f.subscribe(pool, signerOf(h.party), i, h.amount);
  }
  const authorised = spec.guarantorAuthorised ?? true;
  for (const payer of [...licensees.slice(0, spec.schedules.length), ...(authorised ? [guarantor] : [])]) {
    await f.stablecoin.connect(payer).approve(await pool.getAddress(), MaxUint256);
  }
  await time.setNextBlockTimestamp(start);
  await pool.connect(originator).close();

  type Step = { at: bigint; order: number; run: () => Promise<void> };
  const plan: Step[] = [];
  const instalmentActions: InstalmentAction[] = [];
  const observations: PeriodObservation[] = [];
  /** previewDistribution() read right before each distribute(), in period order. */
  const previews: Awaited<ReturnType<ReceivablePool["previewDistribution"]>>[] = [];
  let claimsPaid = 0n;
  let collected = 0n;
  let guarantorPaid = 0n;

  for (const g of model.guarantorPayments) {
    plan.push({
      at: g.at,
      order: 0,
      run: async () => {
        // A guarantor that did not authorise the pool approves what it pays when it pays.
        await (await f.stablecoin.connect(guarantor).approve(await pool.getAddress(), g.amount)).wait();
        await (await pool.connect(guarantor).payGuarantorCall(g.callId, g.amount)).wait();
        guarantorPaid += g.amount;
      },
    });
  }
  for (const p of spec.payments) {
    const amount = spec.schedules[p.licence][p.instalment];
    plan.push({
      at: moment(start, p.at),
      order: 1,
      run: async () => {
        const tx = await pool.connect(licensees[p.licence]).payInstalment(licenceIds[p.licence], p.instalment, amount);
        instalmentActions.push({
          kind: "pay",
          licence: p.licence,
          instalment: p.instalment,
          receipt: (await tx.wait())!,
        });
        collected += amount;
      },
    });
  }
  for (const d of spec.defaults) {
    plan.push({
      at: moment(start, d.at),
      order: 2,
      run: async () => {
        const tx = await pool.markDefaulted(licenceIds[d.licence], d.instalment);
        instalmentActions.push({
          kind: "default",
          licence: d.licence,
          instalment: d.instalment,
          receipt: (await tx.wait())!,
        });
      },
    });
  }
  for (const c of spec.claims) {
    plan.push({
      at: moment(start, c.at),
      order: 3,
      run: async () => {
        const claimant = signerOf(c.party);
        const before = await f.stablecoin.balanceOf(claimant);
        await (await pool.connect(claimant).claim(c.tranche)).wait();
        claimsPaid += (await f.stablecoin.balanceOf(claimant)) - before;
      },
    });
  }
  for (let period = 0; period < periodCount(spec); period++) {
    plan.push({
      at: distributionTime(start, period),
      order: 4,
      run: async () => {
        if (BigInt(await time.latest()) >= distributionTime(start, period)) throw new Error("plan too crowded");
        previews.push(await pool.previewDistribution());
        const receipt = (await (await pool.distribute()).wait())!;
        observations.push(await observe(period, receipt));
      },
    });
  }

  if (spec.windUpAt) {
    plan.push({
      at: moment(start, spec.windUpAt),
      order: 5,
      run: async () => {
        const receipt = (await (await pool.connect(originator).windUp()).wait())!;
        observations.push(await observe(periodCount(spec), receipt));
      },
    });
  }

  const observe = async (period: number, receipt: TransactionReceipt): Promise<PeriodObservation> => {
    const parsed = receipt.logs.map((log) => pool.interface.parseLog(log)).filter((e) => e !== null);
    const distributed = parsed.find((e) => e.name === "PeriodDistributed")!;
    const report = reportValues(distributed.args.report);
    guarantorPaid += report.guarantorPaid; // pulled in the distribution itself
    const trancheCount = spec.tranches.length;
    const indices = [...Array(trancheCount).keys()];
    return {
      report,
      eventDigest: distributed.args.digest,
      storedDigest: await pool.periodDigestOf(period),
      steps: parsed
        .filter((e) => e.name === "WaterfallStepped")
        .map((e) => ({ step: e.args.step, tranche: e.args.tranche, amount: e.args.amount })),
      reconciliation: booksOf(await pool.reconcile()),
      tranches: await Promise.all(indices.map((i) => pool.trancheOf(i))),
      poolFactors: await Promise.all(indices.map((i) => pool.poolFactorOf(i))),
      tokenPoolFactors: await Promise.all(tokens.map((t) => t.poolFactor())),
      totalCredited: await Promise.all(tokens.map((t) => t.totalCredited())),
      holders: await Promise.all(
        spec.tranches.map((t, i) =>
          Promise.all(
            t.holders.map(async (h) => ({
              party: h.party,
              balance: await tokens[i].balanceOf(signerOf(h.party)),
              accumulated: await tokens[i].accumulatedOf(signerOf(h.party)),
              claimable: await tokens[i].claimableOf(signerOf(h.party)),
            })),
          ),
        ),
      ),
      poolBalance: await f.stablecoin.balanceOf(pool),
      feeRecipientBalance: await f.stablecoin.balanceOf(feeRecipient),
      claimsPaid,
      collected,
      guarantorPaid,
    };
  };

  plan.sort((a, b) => (a.at === b.at ? a.order - b.order : a.at < b.at ? -1 : 1));
  for (const step of plan) {
    if (step.at > BigInt(await time.latest())) await time.setNextBlockTimestamp(step.at);
    await step.run();
  }

  return { spec, start, model, pool, tokens, licenceIds, observations, previews, instalmentActions, fixture: f };
}

export type ScenarioRun = Awaited<ReturnType<typeof replay>>;

/** Every licence pays every instalment the day before it falls due, except where `skip` says otherwise. */
export function onTimePayments(
  spec: Pick<ScenarioSpec, "schedules" | "dueDay">,
  skip: (licence: number, k: number) => boolean,
) {
  return spec.schedules.flatMap((amounts, licence) =>
    amounts
      .map((_, k) => ({ licence, instalment: k, at: { period: k, day: spec.dueDay - 1 } }))
      .filter((p) => !skip(p.licence, p.instalment)),
  );
}
