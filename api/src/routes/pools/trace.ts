/**
 * The auditor's trace (SPEC §6): licence agreement → instalments → payments (who paid, when, late or not) → each
 * period's waterfall → per-tranche credits and per-holder claims, and the guarantor's calls. Everything is read from
 * the chain's events, so every item carries the block and transaction an auditor can check it by. Each default shows
 * how its loss was allocated per tranche (and what excess return absorbed), each later payment of it as a recovery;
 * a guarantor's pull inside a distribution links to that period; the wind-up is the last period.
 */
import { TrancheToken__factory, type ReceivablePool } from "../../../../typechain-types";
import type { Registry } from "../../chain/registry";
import { historyOf, type ChainEvent } from "../../chain/events";
import { isoOf } from "../../openapi/schemas";
import { dateOf, distributionsFrom, eventsOf } from "./service";
import { comesBefore, paidOutBy, periodNumber } from "./poolContract";

const at = (e: { blockNumber: number; transactionHash: string }) => ({
  blockNumber: e.blockNumber,
  transactionHash: e.transactionHash,
});

type Terms = Record<string, unknown>;

/** chain/events.ts `plain` shows a one-element array as `{ _: x }`: take it back as a list. */
const listOf = (value: unknown): string[] => (value as unknown[]).map(String);

/** The pool's events the trace reads, by name. */
export const TRACE_EVENTS = [
  "InstalmentPaid",
  "InstalmentDefaulted",
  "Subscribed",
  "PoolClosed",
  "LossAllocated",
  "Claimed",
  "GuarantorCalled",
  "GuarantorPaid",
  "PeriodDistributed",
  "WaterfallStepped",
  "UnsolicitedBooked",
  "LossAbsorbedByExcessReturn",
  "RecoveryReceived",
  "PoolWoundUp",
] as const;

/** A licence's part of the trace: parties, assets, dates, the contract's hash and its recording's proof. */
export interface LicencePart {
  licenceId: string;
  licensors: string[];
  licensee: string;
  assets: string[];
  startDate: string | null;
  endDate: string | null;
  contractHash: string;
  upfrontFee: string | null;
  blockNumber: number;
  transactionHash: string;
}

/** What the trace is made of, whether read from the chain's views and logs or from the index. */
export interface TraceFacts {
  pool: string;
  asOf: { blockNumber: number; time: bigint };
  startDate: bigint;
  /** Each tranche's token and name, in tranche order, and its face. */
  tranches: { token: string; name: string; face: bigint }[];
  /** The pool's events by name (TRACE_EVENTS), each list in chain order. */
  events: Record<(typeof TRACE_EVENTS)[number], ChainEvent[]>;
  /** The time (ISO 8601) of each block an instalment was paid in. */
  paidAt: Map<number, string | null>;
  receivables: {
    licenceId: bigint;
    firstLicence: LicencePart;
    subLicence: LicencePart;
    assignment: ChainEvent | undefined;
    schedule: { dueDate: bigint; amount: bigint }[];
    /** The pool's record of each instalment, in schedule order. */
    records: { paid: bigint; lastPaidAt: bigint; defaulted: boolean }[];
  }[];
}

/** A licence as its recording event shows it: parties, assets, dates and the contract's hash. */
async function licencePart(registry: Registry, licenceId: bigint) {
  const l = registry.licenceRegistry;
  const [licence, assets, first, sub] = await Promise.all([
    l.licenceOf(licenceId),
    l.assetsOf(licenceId),
    historyOf(l, "LicenceRegistry", [l.filters.FirstLicenceRecorded(licenceId)]),
    historyOf(l, "LicenceRegistry", [l.filters.SubLicenceRecorded(licenceId)]),
  ]);
  const recorded = first[0] ?? sub[0];
  const terms = (recorded?.args.terms ?? {}) as Terms;
  return {
    part: {
      licenceId: licenceId.toString(),
      licensors: first[0] ? listOf(first[0].args.licensors) : [licence.licensor],
      licensee: licence.licensee,
      assets: [...assets],
      startDate: isoOf(licence.startDate),
      endDate: isoOf(licence.endDate),
      contractHash: licence.contractHash,
      upfrontFee: first[0] ? String(terms.upfrontFee) : null,
      blockNumber: recorded?.blockNumber ?? 0,
      transactionHash: recorded?.transactionHash ?? "",
    },
    firstLicenceId: licence.firstLicenceId,
  };
}

/** The trace's facts from the chain: the pool's and the licence registry's views and logs, now. */
export async function chainTraceFacts(registry: Registry, pool: ReceivablePool): Promise<TraceFacts> {
  const asOf = (await registry.provider.getBlock("latest"))!;
  const poolAddress = await pool.getAddress();
  const l = registry.licenceRegistry;
  const lists = await Promise.all(TRACE_EVENTS.map((name) => eventsOf(pool, name)));
  const events = Object.fromEntries(TRACE_EVENTS.map((name, i) => [name, lists[i]])) as TraceFacts["events"];
  const paidAt = new Map<number, string | null>();
  for (const e of events.InstalmentPaid) {
    if (!paidAt.has(e.blockNumber)) {
      paidAt.set(e.blockNumber, isoOf((await registry.provider.getBlock(e.blockNumber))!.timestamp));
    }
  }
  const count = Number(await pool.trancheCount());
  const tranches = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const { token, face } = await pool.trancheOf(index);
      return { token, face, name: await TrancheToken__factory.connect(token, pool.runner).name() };
    }),
  );
  const receivables = await Promise.all(
    (await pool.receivables()).map(async (licenceId) => {
      const sub = await licencePart(registry, licenceId);
      const first = await licencePart(registry, sub.firstLicenceId);
      const assigned = await historyOf(l, "LicenceRegistry", [l.filters.ReceivableAssigned(licenceId, poolAddress)]);
      const schedule = await l.scheduleOf(licenceId);
      const records = await Promise.all(schedule.map((_, index) => pool.instalmentRecordOf(licenceId, index)));
      return {
        licenceId,
        firstLicence: first.part,
        subLicence: sub.part,
        assignment: assigned[0],
        schedule: schedule.map((s) => ({ dueDate: s.dueDate, amount: s.amount })),
        records: records.map((r) => ({ paid: r.paid, lastPaidAt: r.lastPaidAt, defaulted: r.defaulted })),
      };
    }),
  );
  return {
    pool: poolAddress,
    asOf: { blockNumber: asOf.number, time: BigInt(asOf.timestamp) },
    startDate: await pool.startDate(),
    tranches,
    events,
    paidAt,
    receivables,
  };
}

export async function traceOf(registry: Registry, pool: ReceivablePool) {
  return traceFrom(await chainTraceFacts(registry, pool));
}

/** The auditor's trace, from its facts (the chain's or the index's). */
export function traceFrom(facts: TraceFacts) {
  const now = facts.asOf.time;
  const { events: ev } = facts;
  const [paid, defaulted, subscribed, closed, losses, claims, calls, callPayments, distributed, booked] = [
    ev.InstalmentPaid,
    ev.InstalmentDefaulted,
    ev.Subscribed,
    ev.PoolClosed,
    ev.LossAllocated,
    ev.Claimed,
    ev.GuarantorCalled,
    ev.GuarantorPaid,
    ev.PeriodDistributed,
    ev.UnsolicitedBooked,
  ];
  const [absorbed, recoveries, woundUp] = [ev.LossAbsorbedByExcessReturn, ev.RecoveryReceived, ev.PoolWoundUp];
  const periods = distributionsFrom(
    distributed,
    ev.WaterfallStepped,
    facts.tranches.map((t) => t.face),
  );
  // A default allocates its loss in the transaction that marks it: LossAllocated carries only the tranche.
  const sameTransaction = (e: ChainEvent) => (other: ChainEvent) => other.transactionHash === e.transactionHash;
  const distributedIn = (e: ChainEvent) => {
    const d = paidOutBy(e, distributed);
    return d ? { period: periodNumber(String(d.args.period)), ...at(d) } : null;
  };

  const receivables = facts.receivables.map(
    ({ licenceId, firstLicence, subLicence, assignment, schedule, records }) => {
      const instalments = schedule.map((instalment, index) => {
        const record = records[index];
        const mine = (e: ChainEvent) => e.args.licenceId === licenceId.toString() && Number(e.args.index) === index;
        const payments = paid.filter(mine).map((e) => ({
          payer: e.args.payer as string,
          amount: e.args.amount as string,
          late: e.args.late as boolean,
          paidAt: facts.paidAt.get(e.blockNumber) ?? null,
          ...at(e),
          distributedIn: distributedIn(e),
        }));
        const unpaidPastDue = record.paid < instalment.amount && now > instalment.dueDate;
        return {
          index,
          dueDate: isoOf(instalment.dueDate),
          amount: instalment.amount.toString(),
          paid: record.paid.toString(),
          lastPaidAt: isoOf(record.lastPaidAt),
          late: unpaidPastDue || payments.some((p) => p.late),
          defaulted: record.defaulted,
          payments,
          defaults: defaulted.filter(mine).map((e) => ({
            unpaid: e.args.unpaid as string,
            ...at(e),
            allocated: losses
              .filter(sameTransaction(e))
              .map((l) => ({ tranche: Number(l.args.tranche), amount: l.args.amount as string })),
            absorbedByExcessReturn: String(absorbed.find(sameTransaction(e))?.args.amount ?? "0"),
          })),
          recoveries: recoveries.filter(mine).map((e) => ({
            amount: e.args.amount as string,
            ...at(e),
            distributedIn: distributedIn(e),
          })),
        };
      });
      return {
        licenceId: licenceId.toString(),
        firstLicence,
        subLicence,
        assignment: assignment ? at(assignment) : null,
        instalments,
      };
    },
  );

  const tranches = facts.tranches.map(({ token, name }, index) => {
    const credits = periods.flatMap((p) =>
      p.steps
        .filter((s) => s.tranche === index)
        .map((s) => ({
          position: s,
          credit: { period: p.period, step: s.step, amount: s.amount, ...at(s) },
        })),
    );
    const mine = claims.filter((e) => Number(e.args.tranche) === index);
    return {
      index,
      name,
      token,
      credited: credits.map((c) => c.credit),
      losses: losses
        .filter((e) => Number(e.args.tranche) === index)
        .map((e) => {
          const cause = defaulted.find(sameTransaction(e));
          return {
            amount: e.args.amount as string,
            licenceId: String(cause?.args.licenceId),
            index: Number(cause?.args.index),
            ...at(e),
          };
        }),
      // A claim pays the holder its share of every credit since its previous claim of the tranche.
      claims: mine.map((e, i) => {
        const previous = mine
          .slice(0, i)
          .reverse()
          .find((c) => c.args.holder === e.args.holder);
        return {
          holder: e.args.holder as string,
          amount: e.args.amount as string,
          ...at(e),
          since: previous ? at(previous) : null,
          drewOn: credits
            .filter((c) => (!previous || comesBefore(previous, c.position)) && comesBefore(c.position, e))
            .map((c) => c.credit),
        };
      }),
    };
  });

  return {
    pool: facts.pool,
    asOf: { blockNumber: facts.asOf.blockNumber, at: isoOf(facts.asOf.time) },
    startDate: dateOf(facts.startDate),
    receivables,
    issuance: {
      subscriptions: subscribed.map((e) => ({
        tranche: Number(e.args.tranche),
        investor: e.args.investor as string,
        amount: e.args.amount as string,
        ...at(e),
      })),
      closing: closed[0]
        ? { proceeds: closed[0].args.proceeds as string, reserve: closed[0].args.reserve as string, ...at(closed[0]) }
        : null,
    },
    unsolicited: booked.map((e) => ({ amount: e.args.amount as string, ...at(e), distributedIn: distributedIn(e) })),
    periods,
    tranches,
    guarantor: {
      calls: calls.map((e) => ({
        callId: Number(e.args.callId),
        period: periodNumber(String(e.args.period)),
        amount: e.args.amount as string,
        ...at(e),
        payments: callPayments
          .filter((p) => p.args.callId === e.args.callId)
          .map((p) => ({
            payer: p.args.payer as string,
            amount: p.args.amount as string,
            ...at(p),
            pulledByDistribution: p.transactionHash === e.transactionHash,
            distributedIn: distributedIn(p),
          })),
      })),
    },
    windUp: woundUp[0]
      ? {
          period: periodNumber(String(woundUp[0].args.period)),
          toSubordinated: woundUp[0].args.toSubordinated as string,
          ...at(woundUp[0]),
        }
      : null,
  };
}
