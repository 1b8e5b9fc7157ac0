/**
 * The waterfall scenarios of test/ReceivablePool.waterfall.test.ts, as plans (see poolScenario.ts): who pays which
 * instalment when, what is marked defaulted, who claims. Amounts in fen; `cny(yuan)` converts.
 */
import { cny } from "../../definitions/riskSchemes";
import { onTimePayments, type ScenarioSpec } from "./poolScenario";

/** The subordinated tranche, kept whole by the originator. */
const keptSubordinated = (face: bigint, name = "Subordinated", symbol = "LFB") => ({
  name,
  symbol,
  face,
  couponBps: 0,
  holders: [{ party: "originator" as const, amount: face }],
});

// ───────────── the worked example ─────────────

export const LICENSEE_7 = 7;
/** Instalments from year two on, in yuan, per licence; licence 7, the smallest, is the one that defaults. */
export const FULL_INSTALMENT = [
  1_320_000, 1_060_000, 1_180_000, 970_000, 1_390_000, 1_110_000, 1_240_000, 600_000, 1_140_000, 1_030_000,
];

/**
 * 10 licences, 16 quarterly instalments due on day 71 of each 91-day quarter; senior 95 m at 5.80 %, subordinated
 * 5 m kept by the originator; a 5 m reserve (5 % of the pool) funded at closing; fees 150,000 a quarter; the guarantor
 * undertakes up to 3 m. Year one is a ramp-up year (instalments of 12,000 + 1,500·i yuan) that cannot carry the
 * senior interest: the reserve pays the shortfall until it runs out in period 3, where the guarantor is called; it
 * pays in period 4. From year two collections retire the senior (turbo) until period 13, which starts topping the
 * reserve up; period 14 completes it and pays the subordinated; period 15 releases the reserve to the subordinated.
 * Licensee 7 pays instalment 6 thirty days late (in period 7) and nothing from instalment 8 on; instalments 8–14
 * are marked defaulted once 90 days overdue (15 only after the calendar); instalment 8 is still paid in period 12.
 */
export const WORKED_EXAMPLE: ScenarioSpec = (() => {
  const dueDay = 71;
  const schedules = FULL_INSTALMENT.map((yuan, i) =>
    Array.from({ length: 16 }, (_, k) => (k < 4 ? cny(12_000 + 1_500 * i) : cny(yuan) + BigInt(13 * i))),
  );
  const stopsOrLate = (licence: number, k: number) => licence === LICENSEE_7 && (k === 6 || k >= 8);
  return {
    periods: 16,
    feePerPeriod: cny(150_000),
    reserveTarget: cny(5_000_000),
    guaranteeCap: cny(3_000_000),
    tranches: [
      {
        name: "Licence-fee senior",
        symbol: "LFA",
        face: cny(95_000_000),
        couponBps: 580,
        holders: [30_000_000, 25_000_000, 20_000_000, 12_500_000, 7_500_000].map((yuan, party) => ({
          party,
          amount: cny(yuan),
        })),
      },
      keptSubordinated(cny(5_000_000), "Licence-fee subordinated"),
    ],
    schedules,
    dueDay,
    payments: [
      ...onTimePayments({ schedules, dueDay }, stopsOrLate),
      { licence: LICENSEE_7, instalment: 6, at: { period: 7, day: 10 } }, // day 71 of period 6 + 30 days
      { licence: LICENSEE_7, instalment: 8, at: { period: 12, day: 10 } }, // defaulted in period 9, paid anyway
    ],
    // Overdue 90 days on day 70 of the next period (71 + 90 − 91); marked on day 75.
    defaults: [8, 9, 10, 11, 12, 13, 14].map((k) => ({
      licence: LICENSEE_7,
      instalment: k,
      at: { period: k + 1, day: 75 },
    })),
    claims: [
      { party: 3, tranche: 0, at: { period: 4, day: 20 } },
      { party: 0, tranche: 0, at: { period: 8, day: 20 } },
      { party: "originator", tranche: 1, at: { period: 15, day: 20 } },
    ],
  };
})();

// ───────────── two senior classes ─────────────

/**
 * A1 30 m at 3.20 % and A2 24 m at 4.50 % before a 6 m subordinated tranche; reserve 3 m, fees 40,000 a quarter,
 * no guarantee; two licences paying 9.3 m and 4.4 m a quarter, on time, for four quarters: A1 is repaid in
 * period 2, A2 only in period 3 with the help of the released reserve.
 */
export const TWO_CLASSES: ScenarioSpec = (() => {
  const schedules = [Array<bigint>(4).fill(cny(9_300_000)), Array<bigint>(4).fill(cny(4_400_000))];
  const dueDay = 60;
  return {
    periods: 4,
    feePerPeriod: cny(40_000),
    reserveTarget: cny(3_000_000),
    guaranteeCap: 0n,
    tranches: [
      {
        name: "Senior A1",
        symbol: "LFA1",
        face: cny(30_000_000),
        couponBps: 320,
        holders: [
          { party: 0, amount: cny(18_000_000) },
          { party: 1, amount: cny(12_000_000) },
        ],
      },
      {
        name: "Senior A2",
        symbol: "LFA2",
        face: cny(24_000_000),
        couponBps: 450,
        holders: [
          { party: 2, amount: cny(14_000_000) },
          { party: 3, amount: cny(10_000_000) },
        ],
      },
      keptSubordinated(cny(6_000_000)),
    ],
    schedules,
    dueDay,
    payments: onTimePayments({ schedules, dueDay }, () => false),
    defaults: [],
    claims: [],
  };
})();

// ───────────── the end of the term ─────────────

/**
 * The real deal's end, in small: senior 1,000,000 CNY at 4.00 % (investors 0 and 1), subordinated 50,000 kept by the
 * originator; reserve 5,000, fees 1,000 a quarter, a guarantor authorised up to 100,000. One licence pays 700,000 in
 * period 0 and 500,000 in period 1, the last scheduled period: the senior is retired and the reserve released into
 * it. Two periods after the term collect nothing — no fee (nothing is outstanding) and no guarantor call — and the
 * originator winds the pool up in the period after.
 */
export const END_OF_TERM: ScenarioSpec = (() => {
  const schedules = [[cny(700_000), cny(500_000)]];
  const dueDay = 60;
  return {
    periods: 2,
    feePerPeriod: cny(1_000),
    reserveTarget: cny(5_000),
    guaranteeCap: cny(100_000),
    tranches: [
      {
        name: "Senior",
        symbol: "LFA",
        face: cny(1_000_000),
        couponBps: 400,
        holders: [
          { party: 0, amount: cny(600_000) },
          { party: 1, amount: cny(400_000) },
        ],
      },
      keptSubordinated(cny(50_000)),
    ],
    schedules,
    dueDay,
    payments: onTimePayments({ schedules, dueDay }, () => false),
    defaults: [],
    claims: [],
    afterTerm: 2,
    windUpAt: { period: 4, day: 5 },
  };
})();

// ───────────── losses beyond the subordinated ─────────────

/** The unpaid instalment of each of the seven licences that default (fen). */
export const DEFAULTED_INSTALMENT = 6_428_572n;

/**
 * A1 600,000 CNY at 3.00 %, A2 300,000 at 5.00 %, subordinated 100,000; fees 500 a quarter; no reserve, no guarantee.
 * Licences 0–6 owe one instalment of 64,285.72 CNY each (due day 60 of period 0) and never pay it on time; licence 7
 * pays 200,000 in period 0 and owes 400,000 in period 1, which it never pays. The seven defaults (marked on day 65 of
 * period 1) exceed the subordinated tranche and write A2 down before A1; licence 7's default (day 65 of period 2)
 * exceeds every outstanding balance, and excess return absorbs the rest. Licence 0 pays its defaulted instalment on
 * day 70 of period 2: a recovery. Everything is paid or defaulted, nothing outstanding: the pool is wound up.
 */
export const LOSSES: ScenarioSpec = (() => {
  const schedules = [...Array.from({ length: 7 }, () => [DEFAULTED_INSTALMENT]), [cny(200_000), cny(400_000)]];
  return {
    periods: 4,
    feePerPeriod: cny(500),
    reserveTarget: 0n,
    guaranteeCap: 0n,
    tranches: [
      {
        name: "Senior A1",
        symbol: "LFA1",
        face: cny(600_000),
        couponBps: 300,
        holders: [{ party: 0, amount: cny(600_000) }],
      },
      {
        name: "Senior A2",
        symbol: "LFA2",
        face: cny(300_000),
        couponBps: 500,
        holders: [
          { party: 1, amount: cny(200_000) },
          { party: 2, amount: cny(100_000) },
        ],
      },
      keptSubordinated(cny(100_000)),
    ],
    schedules,
    dueDay: 60,
    payments: [
      { licence: 7, instalment: 0, at: { period: 0, day: 59 } },
      { licence: 0, instalment: 0, at: { period: 2, day: 70 } },
    ],
    defaults: [
      ...Array.from({ length: 7 }, (_, licence) => ({ licence, instalment: 0, at: { period: 1, day: 65 } })),
      { licence: 7, instalment: 1, at: { period: 2, day: 65 } },
    ],
    claims: [],
    windUpAt: { period: 4, day: 10 },
  };
})();
