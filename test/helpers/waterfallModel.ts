/**
 * A reference model of one period's waterfall, written from SPEC §6 ("Tokenised licence-fee rights", 4 and
 * **Conventions**) and the pool's documented design, not from the Solidity. Money is a BigInt in the payment token's
 * smallest unit; every division rounds down.
 *
 * Order within a period:
 *  1. what must be paid: the fixed fee (plus fee arrears) and each senior class's interest (plus its arrears), where
 *     interest = outstanding at the period's start × coupon bps × whole days ÷ (10,000 × 365), Actual/365 Fixed;
 *  2. shortfall: if collections cannot pay all of it, draw the reserve for the difference, then — only within the
 *     scheduled term — call the guarantor for what is still missing (less what earlier unpaid calls asked for), up to
 *     what is left of its cap. A guarantor that authorised the pool pays in the same distribution, so the period pays
 *     in full; otherwise the call stays unpaid and what it was to cover is carried as arrears (its later payment
 *     enters the collections of the period in which it arrives);
 *  3. fees, then senior interest class by class, from what is available. Within the term the fixed fee is charged
 *     every period; after it only while some tranche is outstanding at the period's start; arrears always;
 *  4. from the last scheduled period on, the whole remaining reserve is released into the waterfall;
 *  5. turbo: everything left retires senior principal, A1 before A2, until each is zero;
 *  6. only then the reserve is topped up to its target (not in or after the last scheduled period);
 *  7. the subordinated tranche receives the rest: principal up to its outstanding, beyond it as excess return.
 * The wind-up is a final period with no fee of its own and no guarantor call, where the subordinated tranche also
 * receives the dust account. A default allocates its whole unpaid amount: the subordinated tranche's outstanding
 * first, then senior classes in reverse order of priority; the rest is absorbed by excess return.
 *
 * Dust is not modelled: it depends on the tranche token's per-holder accounting and is checked on its own.
 */

export const BPS = 10_000n;
export const DAYS_PER_YEAR = 365n;
export const SECONDS_PER_DAY = 86_400n;

/** A tranche: senior classes first in order of priority; the last one is the subordinated tranche (coupon 0). */
export interface TrancheState {
  face: bigint;
  couponBps: bigint;
  outstanding: bigint;
  interestArrears: bigint;
  writtenDown: bigint;
}

export interface PoolTerms {
  feePerPeriod: bigint;
  reserveTarget: bigint;
  guaranteeCap: bigint;
  /** Number of periods in the calendar; the reserve is released from period `scheduledPeriods - 1` on. */
  scheduledPeriods: number;
}

export interface PoolState {
  tranches: TrancheState[];
  feeArrears: bigint;
  reserve: bigint;
  guaranteeCalled: bigint;
  /** What the guarantor has paid in so far, against its calls. */
  guarantorPaid: bigint;
}

export interface PeriodInput {
  period: number;
  /** Seconds since the epoch; only whole days between them accrue interest. */
  startDate: bigint;
  endDate: bigint;
  /** Cash received since the last distribution: instalments and guarantor payments. */
  collections: bigint;
  /** Whether a guarantor call made now is paid at once (the guarantor authorised the pool for at least it). */
  guarantorPays?: boolean;
  /** The pool's final period: no fee of its own, no guarantor, the dust account goes to the subordinated. */
  windingUp?: boolean;
  /** The dust account, swept into the subordinated tranche's payment at wind-up. */
  dust?: bigint;
}

/** How a period's cash was divided (steps 3 to 7). */
export interface DividedCash {
  feesPaid: bigint;
  /** Per senior class. */
  interestPaid: bigint[];
  reserveReleased: bigint;
  /** Per tranche; the subordinated entry is the principal part of what it received. */
  principalPaid: bigint[];
  reserveToppedUp: bigint;
  subordinatedPaid: bigint;
}

export interface PeriodOutcome extends DividedCash {
  period: number;
  collections: bigint;
  reserveDrawn: bigint;
  guarantorCalled: bigint;
  /** What the guarantor paid for the call in the same distribution. */
  guarantorPaid: bigint;
  reserveAfter: bigint;
  feeArrearsAfter: bigint;
  outstandingAfter: bigint[];
  interestArrearsAfter: bigint[];
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export const wholeDays = (startDate: bigint, endDate: bigint) => (endDate - startDate) / SECONDS_PER_DAY;

/** Actual/365 Fixed, rounded down. */
export const periodInterest = (outstanding: bigint, couponBps: bigint, days: bigint) =>
  (outstanding * couponBps * days) / (BPS * DAYS_PER_YEAR);

export function openingState(terms: PoolTerms, tranches: { face: bigint; couponBps: bigint | number }[]): PoolState {
  return {
    tranches: tranches.map((t) => ({
      face: t.face,
      couponBps: BigInt(t.couponBps),
      outstanding: t.face,
      interestArrears: 0n,
      writtenDown: 0n,
    })),
    feeArrears: 0n,
    reserve: terms.reserveTarget,
    guaranteeCalled: 0n,
    guarantorPaid: 0n,
  };
}

const copy = (state: PoolState): PoolState => ({ ...state, tranches: state.tranches.map((t) => ({ ...t })) });

/**
 * A defaulted instalment's whole unpaid amount allocated as a loss: the subordinated tranche's outstanding first,
 * then senior classes from the lowest priority up (A2 before A1); what exceeds them all is absorbed by excess return.
 * `allocated` is per tranche; allocated + absorbed = loss.
 */
export function allocateLoss(
  state: PoolState,
  loss: bigint,
): { state: PoolState; allocated: bigint[]; absorbed: bigint } {
  const next = copy(state);
  const allocated = next.tranches.map(() => 0n);
  let rest = loss;
  for (let i = next.tranches.length - 1; i >= 0; i--) {
    const t = next.tranches[i];
    allocated[i] = min(rest, t.outstanding);
    t.outstanding -= allocated[i];
    t.writtenDown += allocated[i];
    rest -= allocated[i];
  }
  return { state: next, allocated, absorbed: rest };
}

/** A period's cash once the shortfall is covered, and what it must pay (the input of steps 3 to 7). */
export interface CashToDivide {
  available: bigint;
  /** The period's fee (if charged) plus fee arrears. */
  feeDue: bigint;
  /** Per senior class: the period's interest plus its arrears. */
  interestDue: bigint[];
  /** Per tranche, the subordinated last. */
  outstanding: bigint[];
  reserve: bigint;
  reserveTarget: bigint;
  /** From the last scheduled period on (and at wind-up) the reserve's target is zero. */
  releaseReserve: boolean;
  /** The dust account at wind-up, added to the subordinated tranche's payment. */
  sweep: bigint;
}

/**
 * Steps 3 to 7: fees; senior interest by priority; (from the last scheduled period on) the whole reserve released;
 * turbo principal, A1 before A2; the reserve topped up to its target (before the last scheduled period only); the
 * subordinated tranche takes the rest, principal first.
 */
export function divideCash(cash: CashToDivide): DividedCash {
  let available = cash.available;
  const seniorCount = cash.interestDue.length;
  const feesPaid = min(available, cash.feeDue);
  available -= feesPaid;
  const interestPaid = cash.interestDue.map((due) => {
    const paid = min(available, due);
    available -= paid;
    return paid;
  });
  const reserveReleased = cash.releaseReserve ? cash.reserve : 0n;
  available += reserveReleased;
  const principalPaid = cash.outstanding.slice(0, seniorCount).map((outstanding) => {
    const paid = min(available, outstanding);
    available -= paid;
    return paid;
  });
  let reserveToppedUp = 0n;
  if (!cash.releaseReserve && cash.reserve < cash.reserveTarget) {
    reserveToppedUp = min(available, cash.reserveTarget - cash.reserve);
    available -= reserveToppedUp;
  }
  available += cash.sweep;
  principalPaid.push(min(available, cash.outstanding[seniorCount]));
  return { feesPaid, interestPaid, reserveReleased, principalPaid, reserveToppedUp, subordinatedPaid: available };
}

export function runPeriod(
  terms: PoolTerms,
  before: PoolState,
  input: PeriodInput,
): { state: PoolState; outcome: PeriodOutcome } {
  const state = copy(before);
  const seniors = state.tranches.slice(0, -1);
  const subordinated = state.tranches[state.tranches.length - 1];
  const days = wholeDays(input.startDate, input.endDate);
  const windingUp = input.windingUp ?? false;
  const afterTerm = input.period >= terms.scheduledPeriods;
  const lastScheduledOrLater = windingUp || input.period >= terms.scheduledPeriods - 1;
  const someOutstanding = state.tranches.some((t) => t.outstanding > 0n);

  // 1. What must be paid, arrears included; after the term the fee only while some tranche is outstanding.
  const feeCharged = !windingUp && (!afterTerm || someOutstanding);
  const feeDue = (feeCharged ? terms.feePerPeriod : 0n) + state.feeArrears;
  const interestDue = seniors.map((t) => periodInterest(t.outstanding, t.couponBps, days) + t.interestArrears);
  const mustPay = interestDue.reduce((sum, x) => sum + x, feeDue);

  // 2. Shortfall: the reserve, then (within the term) the guarantor, who pays now if it authorised the pool.
  let available = input.collections;
  let reserveDrawn = 0n;
  let guarantorCalled = 0n;
  let guarantorPaid = 0n;
  if (available < mustPay) {
    reserveDrawn = min(state.reserve, mustPay - available);
    state.reserve -= reserveDrawn;
    available += reserveDrawn;
    // "What is still missing" leaves out what earlier calls asked for and the guarantor has not paid yet.
    const unpaidCalls = state.guaranteeCalled - state.guarantorPaid;
    if (!afterTerm && !windingUp && available + unpaidCalls < mustPay) {
      guarantorCalled = min(terms.guaranteeCap - state.guaranteeCalled, mustPay - available - unpaidCalls);
      state.guaranteeCalled += guarantorCalled;
      if (input.guarantorPays && guarantorCalled > 0n) {
        guarantorPaid = guarantorCalled;
        state.guarantorPaid += guarantorPaid;
        available += guarantorPaid;
      }
    }
  }

  // 3–7. The cash, divided in SPEC order; what could not be paid stays due as arrears.
  const { feesPaid, interestPaid, reserveReleased, principalPaid, reserveToppedUp, subordinatedPaid } = divideCash({
    available,
    feeDue,
    interestDue,
    outstanding: state.tranches.map((t) => t.outstanding),
    reserve: state.reserve,
    reserveTarget: terms.reserveTarget,
    releaseReserve: lastScheduledOrLater,
    sweep: windingUp ? (input.dust ?? 0n) : 0n,
  });
  state.feeArrears = feeDue - feesPaid;
  seniors.forEach((t, i) => {
    t.interestArrears = interestDue[i] - interestPaid[i];
    t.outstanding -= principalPaid[i];
  });
  subordinated.outstanding -= principalPaid[seniors.length];
  state.reserve = state.reserve - reserveReleased + reserveToppedUp;

  return {
    state,
    outcome: {
      period: input.period,
      collections: input.collections,
      reserveDrawn,
      guarantorCalled,
      guarantorPaid,
      feesPaid,
      interestPaid,
      reserveReleased,
      principalPaid,
      reserveToppedUp,
      subordinatedPaid,
      reserveAfter: state.reserve,
      feeArrearsAfter: state.feeArrears,
      outstandingAfter: state.tranches.map((t) => t.outstanding),
      interestArrearsAfter: seniors.map((t) => t.interestArrears),
    },
  };
}

/** Everything the period credited to tranche holders (before the token's rounding). */
export const creditedToHolders = (o: PeriodOutcome) =>
  [...o.interestPaid, ...o.principalPaid.slice(0, -1)].reduce((sum, x) => sum + x, o.subordinatedPaid);
