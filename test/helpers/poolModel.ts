/**
 * The books of a receivable pool as the property tests follow them, in BigInt: the period waterfall itself is
 * `runPeriod` of ./waterfallModel (the one reference model of SPEC §6, written from the SPEC, not from the contract);
 * this class adds what a pool's life needs around it — collections, guarantor calls and payments, the calendar after
 * closing, and what each holder's tokens must accrue.
 */
import { allocateLoss, openingState, runPeriod, type PoolState, type PoolTerms } from "./waterfallModel";

export interface ModelConfig {
  faces: bigint[]; // senior classes by priority, the subordinated last
  couponsBps: bigint[]; // 0 for the subordinated
  feePerPeriod: bigint;
  reserveTarget: bigint;
  guaranteeCap: bigint;
  /** Period 0 runs from the start date, whenever the pool closes. */
  startDate: bigint;
  periodEnds: bigint[];
}

export interface ModelReport {
  period: bigint;
  startDate: bigint;
  endDate: bigint;
  collections: bigint;
  reserveDrawn: bigint;
  guarantorCalled: bigint;
  guarantorPaid: bigint;
  feesPaid: bigint;
  interestPaid: bigint[];
  principalPaid: bigint[];
  reserveReleased: bigint;
  reserveToppedUp: bigint;
  subordinatedPaid: bigint;
  reserveAfter: bigint;
  feeArrearsAfter: bigint;
  interestArrearsAfter: bigint[];
  outstandingAfter: bigint[];
}

export class PoolModel {
  private readonly terms: PoolTerms;
  private state: PoolState;
  /** Everything the waterfall paid each tranche (credited to holders plus dust). */
  readonly paidTo: bigint[];
  /** Per tranche and holder: Σ amount × balance over every credit; the exact share is this ÷ face. */
  readonly weighted: Map<string, bigint>[];
  readonly balances: Map<string, bigint>[];
  readonly calls: { amount: bigint; paid: bigint }[] = [];
  collections = 0n;
  feesPaid = 0n;
  periods = 0;
  /** What the guarantor has allowed the pool to pull (a call is pulled whole or not at all). */
  guarantorAllowance = 0n;
  guarantorPulled = 0n;
  /** Σ unpaid amounts of defaulted instalments; Σ what tranches took; Σ what excess return absorbed. */
  lossesDefaulted = 0n;
  readonly lossesAllocated: bigint[];
  lossesAbsorbed = 0n;
  woundUp = false;

  constructor(readonly config: ModelConfig) {
    this.terms = {
      feePerPeriod: config.feePerPeriod,
      reserveTarget: config.reserveTarget,
      guaranteeCap: config.guaranteeCap,
      scheduledPeriods: config.periodEnds.length,
    };
    this.state = openingState(
      { ...this.terms, reserveTarget: 0n },
      config.faces.map((face, i) => ({ face, couponBps: config.couponsBps[i] })),
    );
    this.paidTo = config.faces.map(() => 0n);
    this.lossesAllocated = config.faces.map(() => 0n);
    this.weighted = config.faces.map(() => new Map());
    this.balances = config.faces.map(() => new Map());
  }

  get outstanding() {
    return this.state.tranches.map((t) => t.outstanding);
  }
  get interestArrears() {
    return this.state.tranches.map((t) => t.interestArrears);
  }
  get reserve() {
    return this.state.reserve;
  }
  get feeArrears() {
    return this.state.feeArrears;
  }
  get guaranteeCalled() {
    return this.state.guaranteeCalled;
  }

  get writtenDown() {
    return this.state.tranches.map((t) => t.writtenDown);
  }

  /** Closing funds the reserve to its target (when it closes does not move the calendar). */
  close() {
    this.state = { ...this.state, reserve: this.config.reserveTarget };
  }

  move(tranche: number, from: string | null, to: string, amount: bigint) {
    const b = this.balances[tranche];
    if (from !== null) b.set(from, (b.get(from) ?? 0n) - amount);
    b.set(to, (b.get(to) ?? 0n) + amount);
  }

  /** The unpaid part of a defaulted instalment is allocated as a loss: per tranche, and what excess return absorbs. */
  allocateLoss(unpaid: bigint) {
    const result = allocateLoss(this.state, unpaid);
    this.state = result.state;
    this.lossesDefaulted += unpaid;
    result.allocated.forEach((x, i) => (this.lossesAllocated[i] += x));
    this.lossesAbsorbed += result.absorbed;
    return { allocated: result.allocated, absorbed: result.absorbed };
  }

  /** The guarantor pays (part of) an unpaid call: the cash enters the period in which it arrives. */
  payCall(id: number, amount: bigint) {
    this.calls[id].paid += amount;
    this.collections += amount;
    this.state = { ...this.state, guarantorPaid: this.state.guarantorPaid + amount };
  }

  /** When period `k` ends: the calendar, then periods as long as the last scheduled one (late recoveries). */
  periodEnd(k: number): bigint {
    const ends = this.config.periodEnds;
    const n = ends.length;
    if (k < n) return ends[k];
    const length = ends[n - 1] - (n >= 2 ? ends[n - 2] : this.config.startDate);
    return ends[n - 1] + BigInt(k - n + 1) * length;
  }

  /** The start and the end of the next period. */
  nextPeriod(): { start: bigint; end: bigint } {
    const k = this.periods;
    return { start: k === 0 ? this.config.startDate : this.periodEnd(k - 1), end: this.periodEnd(k) };
  }

  /** Whether the pool may be wound up: no tranche outstanding (open instalments are the caller's to check). */
  get windable() {
    return this.state.tranches.every((t) => t.outstanding === 0n);
  }

  /** Run the next period's waterfall (the pool lets it run any time after the period's end). */
  distribute(): ModelReport {
    const { start, end } = this.nextPeriod();
    return this.run(start, end, false, 0n);
  }

  /** The final period, from the last period's end to `at`: the dust account and unbooked cash go with it. */
  windUp(at: bigint, dust: bigint, unbooked: bigint): ModelReport {
    const { start } = this.nextPeriod();
    this.collections += unbooked;
    this.woundUp = true;
    return this.run(start, at > start ? at : start, true, dust);
  }

  private run(start: bigint, end: bigint, windingUp: boolean, dust: bigint): ModelReport {
    // A call is pulled whole when the allowance covers it (the guarantor's balance is ample in these tests).
    const { outcome: probe } = runPeriod(this.terms, this.state, {
      period: this.periods,
      startDate: start,
      endDate: end,
      collections: this.collections,
      windingUp,
      dust,
    });
    const guarantorPays = probe.guarantorCalled > 0n && this.guarantorAllowance >= probe.guarantorCalled;
    const { state, outcome } = runPeriod(this.terms, this.state, {
      period: this.periods,
      startDate: start,
      endDate: end,
      collections: this.collections,
      guarantorPays,
      windingUp,
      dust,
    });
    this.state = state;
    this.collections = 0n;
    this.feesPaid += outcome.feesPaid;
    if (outcome.guarantorCalled !== 0n) {
      this.calls.push({ amount: outcome.guarantorCalled, paid: outcome.guarantorPaid });
      this.guarantorAllowance -= outcome.guarantorPaid;
      this.guarantorPulled += outcome.guarantorPaid;
    }
    const seniors = outcome.interestPaid.length;
    for (let i = 0; i < seniors; i++) this.credit(i, outcome.interestPaid[i] + outcome.principalPaid[i]);
    this.credit(seniors, outcome.subordinatedPaid);
    this.periods += 1;
    return {
      period: BigInt(outcome.period),
      startDate: start,
      endDate: end,
      collections: outcome.collections,
      reserveDrawn: outcome.reserveDrawn,
      guarantorCalled: outcome.guarantorCalled,
      guarantorPaid: outcome.guarantorPaid,
      feesPaid: outcome.feesPaid,
      interestPaid: outcome.interestPaid,
      principalPaid: outcome.principalPaid,
      reserveReleased: outcome.reserveReleased,
      reserveToppedUp: outcome.reserveToppedUp,
      subordinatedPaid: outcome.subordinatedPaid,
      reserveAfter: outcome.reserveAfter,
      feeArrearsAfter: outcome.feeArrearsAfter,
      interestArrearsAfter: outcome.interestArrearsAfter,
      outstandingAfter: outcome.outstandingAfter,
    };
  }

  /** A holder's exact pro-rata share of what its tranche was paid, rounded down (the supply is the face). */
  shareOf(tranche: number, holder: string) {
    return (this.weighted[tranche].get(holder) ?? 0n) / this.config.faces[tranche];
  }

  private credit(tranche: number, amount: bigint) {
    if (amount === 0n) return;
    this.paidTo[tranche] += amount;
    const w = this.weighted[tranche];
    for (const [holder, balance] of this.balances[tranche]) w.set(holder, (w.get(holder) ?? 0n) + amount * balance);
  }
}
