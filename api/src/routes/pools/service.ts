/**
 * Reading a receivable pool: its state from views, its history (payments, waterfalls, claims) from events, and a
 * period's reconciliation. The gateway knows the pools it has seen: those it broadcast the creation of, and those a
 * sub-licence was assigned to in the licence registry.
 */
import { AbiCoder, formatUnits, getAddress, keccak256, type EventLog, type Result } from "ethers";
import { ReceivablePool__factory, TrancheToken__factory, type ReceivablePool } from "../../../../typechain-types";
import type { Registry } from "../../chain/registry";
import { toChainEvent, type ChainEvent } from "../../chain/events";
import type { DocumentStore } from "../../documents/store";
import { AppError } from "../../errors/AppError";
import { isoOf } from "../../openapi/schemas";
import type { z } from "zod";
import { POOL_STATUSES, WATERFALL_STEPS, type periodReportSchema } from "./schema";

/** The pools the gateway has seen, as one document-store record (read and written with no await between). */
const POOL_INDEX = ["pool-index", "known"] as const;
interface PoolIndex {
  pools: { pool: string; seenIn: string; transactionHash: string }[];
}

const indexOf = (store: DocumentStore) => store.getRecord<PoolIndex>(...POOL_INDEX) ?? { pools: [] };

/** Remember a pool: its creation was broadcast through the gateway, or a receivable was assigned to it. */
export function rememberPool(store: DocumentStore, pool: string, seenIn: string, transactionHash: string) {
  const index = indexOf(store);
  if (index.pools.some((p) => p.pool === getAddress(pool))) return;
  index.pools.push({ pool: getAddress(pool), seenIn, transactionHash });
  store.putRecord(...POOL_INDEX, index);
}

/** Every pool the gateway knows: those it remembers and every pool a receivable was assigned to. */
export async function knownPools(registry: Registry, store: DocumentStore): Promise<string[]> {
  const l = registry.licenceRegistry;
  const assigned = await l.queryFilter(l.filters.ReceivableAssigned());
  for (const e of assigned) rememberPool(store, e.args.pool, "ReceivableAssigned", e.transactionHash);
  return indexOf(store).pools.map((p) => p.pool);
}

/** The pool at `address`, if the gateway knows it; 404 otherwise. */
export async function knownPool(registry: Registry, store: DocumentStore, address: string): Promise<ReceivablePool> {
  const pool = getAddress(address);
  if (!indexOf(store).pools.some((p) => p.pool === pool)) {
    const l = registry.licenceRegistry;
    const assigned = await l.queryFilter(l.filters.ReceivableAssigned(undefined, pool));
    if (assigned.length === 0) throw AppError.of("NOT_FOUND", `no pool known at ${pool}`, "params.pool");
    rememberPool(store, pool, "ReceivableAssigned", assigned[0].transactionHash);
  }
  // A receivable may be assigned to an address before the pool is deployed there.
  if ((await registry.provider.getCode(pool)) === "0x") {
    throw AppError.of("NOT_FOUND", `no pool is deployed at ${pool} yet`, "params.pool");
  }
  return ReceivablePool__factory.connect(pool, registry.relayer.signer);
}

const str = (v: bigint | number) => v.toString();
const proof = (e: { blockNumber: number; transactionHash: string }) => ({
  blockNumber: e.blockNumber,
  transactionHash: e.transactionHash,
});

/** outstanding ÷ face, exact to 18 decimals (rounded down), without trailing zeros. */
export const poolFactor = (outstanding: bigint, face: bigint) =>
  face === 0n ? "0" : formatUnits((outstanding * 10n ** 18n) / face, 18).replace(/\.0$/, "");

/** Every event `name` of the pool, as the API shows events. */
export async function eventsOf(pool: ReceivablePool, name: string): Promise<ChainEvent[]> {
  const logs = await pool.queryFilter(name as unknown as Parameters<ReceivablePool["queryFilter"]>[0]);
  return logs.map((l) => toChainEvent("ReceivablePool", l)).filter((e): e is ChainEvent => e !== undefined);
}

export async function readPool(pool: ReceivablePool) {
  const [status, closedAt, calendar, periodsDistributed, receivables, count] = await Promise.all([
    pool.status(),
    pool.closedAt(),
    pool.periodEnds(),
    pool.periodsDistributed(),
    pool.receivables(),
    pool.trancheCount(),
  ]);
  const runner = pool.runner;
  const tranches = await Promise.all(
    Array.from({ length: Number(count) }, async (_, i) => {
      const t = await pool.trancheOf(i);
      const token = TrancheToken__factory.connect(t.token, runner);
      const [name, symbol] = await Promise.all([token.name(), token.symbol()]);
      return {
        index: i,
        name,
        symbol,
        token: t.token,
        seniority: i === Number(count) - 1 ? ("subordinated" as const) : ("senior" as const),
        couponBps: Number(t.couponBps),
        face: str(t.face),
        outstanding: str(t.outstanding),
        poolFactor: poolFactor(t.outstanding, t.face),
        interestArrears: str(t.interestArrears),
        claimable: str(t.claimable),
        writtenDown: str(t.writtenDown),
      };
    }),
  );
  const callCount = Number(await pool.guarantorCallCount());
  const calls = await Promise.all(
    Array.from({ length: callCount }, async (_, callId) => {
      const c = await pool.guarantorCallOf(callId);
      return { callId, period: Number(c.period), amount: str(c.amount), paid: str(c.paid) };
    }),
  );
  const [paymentToken, originator, deadline, escrow, collections, reserve, reserveTarget, dust] = await Promise.all([
    pool.paymentToken(),
    pool.originator(),
    pool.subscriptionDeadline(),
    pool.escrow(),
    pool.collectionsAvailable(),
    pool.reserve(),
    pool.reserveTarget(),
    pool.dust(),
  ]);
  const [feeRecipient, feePerPeriod, feeArrears, guarantor, cap, called] = await Promise.all([
    pool.feeRecipient(),
    pool.feePerPeriod(),
    pool.feeArrears(),
    pool.guarantor(),
    pool.guaranteeCap(),
    pool.guaranteeCalled(),
  ]);
  return {
    pool: await pool.getAddress(),
    status: POOL_STATUSES[Number(status)],
    paymentToken,
    originator,
    subscriptionDeadline: isoOf(deadline),
    closedAt: isoOf(closedAt),
    calendar: calendar.map((end) => isoOf(end)!),
    periodsDistributed: Number(periodsDistributed),
    receivables: receivables.map(str),
    tranches,
    buckets: {
      escrow: str(escrow),
      collections: str(collections),
      reserve: str(reserve),
      reserveTarget: str(reserveTarget),
      dust: str(dust),
    },
    fees: { recipient: feeRecipient, perPeriod: str(feePerPeriod), arrears: str(feeArrears) },
    guarantor: { address: guarantor, cap: str(cap), called: str(called), calls },
    reconciliation: await reconcileOf(pool),
  };
}

export async function reconcileOf(pool: ReceivablePool) {
  const r = await pool.reconcile();
  return {
    subscribed: str(r.subscribed),
    collected: str(r.collected),
    guarantorPaid: str(r.guarantorPaid),
    unsolicited: str(r.unsolicited),
    proceedsPaid: str(r.proceedsPaid),
    feesPaid: str(r.feesPaid),
    claimsPaid: str(r.claimsPaid),
    refunded: str(r.refunded),
    escrow: str(r.escrow),
    collectionsAvailable: str(r.collectionsAvailable),
    reserve: str(r.reserve),
    trancheClaimable: str(r.trancheClaimable),
    dust: str(r.dust),
    tokenBalance: str(r.tokenBalance),
    unbooked: str(r.unbooked),
    balanced: r.balanced,
  };
}

type Report = z.infer<typeof periodReportSchema>;

/**
 * A PeriodReport as JSON. Decoded field by field rather than through chain/events.ts `plain`, which turns a
 * one-element array into an object (`{ _: "…" }`).
 */
export function reportOf(result: Result): Report {
  const r = result.toObject() as Record<string, unknown>;
  const one = (k: string) => String(r[k]);
  const list = (k: string) => Array.from(r[k] as Result, (v) => String(v));
  return {
    period: one("period"),
    startDate: one("startDate"),
    endDate: one("endDate"),
    distributedAt: one("distributedAt"),
    collections: one("collections"),
    reserveDrawn: one("reserveDrawn"),
    guarantorCalled: one("guarantorCalled"),
    feesPaid: one("feesPaid"),
    interestPaid: list("interestPaid"),
    principalPaid: list("principalPaid"),
    reserveReleased: one("reserveReleased"),
    reserveToppedUp: one("reserveToppedUp"),
    subordinatedPaid: one("subordinatedPaid"),
    dust: one("dust"),
    reserveAfter: one("reserveAfter"),
  };
}

/** Every distributed period: its report, digest, the transaction, and each waterfall step, in chain order. */
export async function distributionsOf(pool: ReceivablePool) {
  const [periods, steps] = await Promise.all([
    pool.queryFilter(pool.filters.PeriodDistributed()),
    eventsOf(pool, "WaterfallStepped"),
  ]);
  return periods.map((e) => {
    const period = Number(e.args.period);
    return {
      period,
      digest: e.args.digest,
      report: reportOf((e as unknown as EventLog).args.report as Result),
      steps: steps
        .filter((s) => Number(s.args.period) === period)
        .map((s) => {
          const step = WATERFALL_STEPS[Number(s.args.step)];
          const perTranche = step === "SeniorInterest" || step === "SeniorPrincipal" || step === "Subordinated";
          return {
            step,
            tranche: perTranche ? Number(s.args.tranche) : null,
            amount: s.args.amount as string,
            ...proof(s),
          };
        }),
      proof: proof(e),
    };
  });
}

/** The report of a distributed period as the pool hashed it, read from its PeriodDistributed log. */
async function periodLog(pool: ReceivablePool, period: number) {
  const logs = await pool.queryFilter(pool.filters.PeriodDistributed(period));
  if (logs.length === 0) {
    throw AppError.of("NOT_FOUND", `period ${period} of this pool has not been distributed`, "query.period");
  }
  return logs[0];
}

export async function periodReconciliation(registry: Registry, pool: ReceivablePool, period: number) {
  const log = await periodLog(pool, period);
  const event = toChainEvent("ReceivablePool", log)!;
  const report = reportOf(log.args.report as unknown as Result);
  const reportType = pool.interface.getEvent("PeriodDistributed")!.inputs[2];
  const rehashed = keccak256(AbiCoder.defaultAbiCoder().encode([reportType], [log.args.report]));
  const count = Number(await pool.trancheCount());
  const names = await Promise.all(
    Array.from({ length: count }, async (_, i) =>
      TrancheToken__factory.connect((await pool.trancheOf(i)).token, pool.runner).symbol(),
    ),
  );
  const fig = (section: string, item: string, value: string, tranche: string | null = null) => ({
    section,
    item,
    tranche,
    amount: value,
  });
  const figures = [
    fig("available", "collections", report.collections),
    fig("available", "reserveDrawn", report.reserveDrawn),
    fig("available", "reserveReleased", report.reserveReleased),
    fig("shortfall", "guarantorCalled", report.guarantorCalled),
    fig("paid", "fees", report.feesPaid),
    ...report.interestPaid.map((v, i) => fig("paid", "seniorInterest", v, names[i])),
    ...report.principalPaid.map((v, i) => fig("paid", "principal", v, names[i])),
    fig("paid", "reserveToppedUp", report.reserveToppedUp),
    fig("paid", "subordinated", report.subordinatedPaid, names[count - 1]),
    fig("held", "dust", report.dust),
    fig("held", "reserveAfter", report.reserveAfter),
  ];
  const asOfBlock = await registry.provider.getBlockNumber();
  const r = await reconcileOf(pool);
  type Figure = Exclude<keyof typeof r, "balanced">;
  const sum = (...keys: Figure[]) => keys.reduce((acc, k) => acc + BigInt(r[k]), 0n).toString();
  const cashIn = sum("subscribed", "collected", "guarantorPaid", "unsolicited");
  const cashOut = sum("proceedsPaid", "feesPaid", "claimsPaid", "refunded");
  const held = sum("escrow", "collectionsAvailable", "reserve", "trancheClaimable", "dust");
  const inItems = ["subscribed", "collected", "guarantorPaid", "unsolicited"] as const;
  const outItems = ["proceedsPaid", "feesPaid", "claimsPaid", "refunded"] as const;
  const heldItems = ["escrow", "collectionsAvailable", "reserve", "trancheClaimable", "dust"] as const;
  return {
    pool: await pool.getAddress(),
    period,
    startDate: isoOf(BigInt(report.startDate)) ?? "",
    endDate: isoOf(BigInt(report.endDate)) ?? "",
    distributedAt: isoOf(BigInt(report.distributedAt)) ?? "",
    digest: event.args.digest as string,
    digestMatches: rehashed === event.args.digest && (await pool.periodDigestOf(period)) === rehashed,
    proof: proof(event),
    figures,
    conservation: {
      asOfBlock,
      cashIn,
      cashOut,
      held,
      balanced: r.balanced,
      figures: [
        ...inItems.map((k) => fig("cashIn", k, r[k])),
        fig("cashIn", "total", cashIn),
        ...outItems.map((k) => fig("cashOut", k, r[k])),
        fig("cashOut", "total", cashOut),
        ...heldItems.map((k) => fig("held", k, r[k])),
        fig("held", "total", held),
        fig("check", "tokenBalance", r.tokenBalance),
        fig("check", "unbooked", r.unbooked),
      ],
    },
  };
}

export type PeriodReconciliation = Awaited<ReturnType<typeof periodReconciliation>>;

const csvCell = (v: string | null) => (v === null ? "" : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One row per figure: the period's, then the conservation check. */
export function reconciliationCsv(rec: PeriodReconciliation): string {
  const heading = [
    { section: "period", item: "number", tranche: null, amount: String(rec.period) },
    { section: "period", item: "digest", tranche: null, amount: rec.digest },
  ];
  const rows = [...heading, ...rec.figures, ...rec.conservation.figures].map((f) =>
    [f.section, f.item, f.tranche, f.amount].map(csvCell).join(","),
  );
  return `section,item,tranche,amount\n${rows.join("\n")}\n`;
}
