/**
 * Reading a receivable pool: its state from views, its history (payments, waterfalls, claims) from events, and a
 * period's reconciliation. The gateway knows the pools it has seen: those it broadcast the creation of, and those a
 * sub-licence was assigned to in the licence registry.
 */
import { AbiCoder, formatUnits, getAddress, keccak256, type EventLog } from "ethers";
import { ReceivablePool__factory, TrancheToken__factory, type ReceivablePool } from "../../../../typechain-types";
import type { Registry } from "../../chain/registry";
import { toChainEvent, type ChainEvent } from "../../chain/events";
import type { RecordStore } from "../../store/records";
import { AppError } from "../../errors/AppError";
import { isoOf } from "../../openapi/schemas";
import type { z } from "zod";
import type { periodReportSchema } from "./schema";
import {
  CASH_IN,
  CASH_OUT,
  CREDIT_STEPS,
  HELD,
  TOKEN_CHECK,
  type Reconciliation,
  POOL_STATUSES,
  REPORT_HEADING_FIELDS,
  WATERFALL_STEPS,
  periodNumber,
  periodOnChain,
  reconcileNow,
  reportOf,
} from "./poolContract";

/** The pools the gateways have seen, as one record (changed in a version-checked transaction). */
const POOL_INDEX = ["pool-index", "known"] as const;
interface PoolIndex {
  pools: { pool: string; seenIn: string; transactionHash: string }[];
}

const indexOf = async (store: Pick<RecordStore, "get">) => (await store.get<PoolIndex>(...POOL_INDEX)) ?? { pools: [] };

/** Whether the gateway remembers a pool at this address (without asking the chain). */
export const remembersPool = async (store: Pick<RecordStore, "get">, pool: string) =>
  (await indexOf(store)).pools.some((p) => p.pool === getAddress(pool));

/** Remember a pool: its creation was broadcast through the gateway, or a receivable was assigned to it. */
export async function rememberPool(store: RecordStore, pool: string, seenIn: string, transactionHash: string) {
  if ((await indexOf(store)).pools.some((p) => p.pool === getAddress(pool))) return;
  await store.change(async (tx) => {
    const index = await indexOf(tx);
    if (index.pools.some((p) => p.pool === getAddress(pool))) return;
    await tx.put(...POOL_INDEX, { pools: [...index.pools, { pool: getAddress(pool), seenIn, transactionHash }] });
  });
}

/** Forget a pool remembered for a creation the chain refused (only that creation's entry). */
export async function forgetPool(store: RecordStore, pool: string, transactionHash: string) {
  await store.change(async (tx) => {
    const index = await indexOf(tx);
    const kept = index.pools.filter((p) => p.pool !== getAddress(pool) || p.transactionHash !== transactionHash);
    if (kept.length !== index.pools.length) await tx.put(...POOL_INDEX, { ...index, pools: kept });
  });
}

/** Every pool the gateway knows: those it remembers and every pool a receivable was assigned to. */
export async function knownPools(registry: Registry, store: RecordStore): Promise<string[]> {
  const l = registry.licenceRegistry;
  const assigned = await l.queryFilter(l.filters.ReceivableAssigned());
  for (const e of assigned) await rememberPool(store, e.args.pool, "ReceivableAssigned", e.transactionHash);
  return (await indexOf(store)).pools.map((p) => p.pool);
}

/** The pool at `address`, if the gateway knows it; 404 otherwise. */
export async function knownPool(registry: Registry, store: RecordStore, address: string): Promise<ReceivablePool> {
  const pool = getAddress(address);
  if (!(await indexOf(store)).pools.some((p) => p.pool === pool)) {
    const l = registry.licenceRegistry;
    const assigned = await l.queryFilter(l.filters.ReceivableAssigned(undefined, pool));
    if (assigned.length === 0) throw AppError.of("NOT_FOUND", `no pool known at ${pool}`, "params.pool");
    await rememberPool(store, pool, "ReceivableAssigned", assigned[0].transactionHash);
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

/** The calendar date (UTC) of an instant in seconds: YYYY-MM-DD. */
export const dateOf = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);

/** outstanding ÷ face, exact to 18 decimals (rounded down), without trailing zeros. */
export const poolFactor = (outstanding: bigint, face: bigint) =>
  face === 0n ? "0" : formatUnits((outstanding * 10n ** 18n) / face, 18).replace(/\.0$/, "");

/** Every event `name` of the pool, as the API shows events. */
export async function eventsOf(pool: ReceivablePool, name: string): Promise<ChainEvent[]> {
  const logs = await pool.queryFilter(name as unknown as Parameters<ReceivablePool["queryFilter"]>[0]);
  return logs.map((l) => toChainEvent("ReceivablePool", l)).filter((e): e is ChainEvent => e !== undefined);
}

export async function readPool(pool: ReceivablePool) {
  const [status, closedAt, startDate, calendar, periodsDistributed, receivables, count] = await Promise.all([
    pool.status(),
    pool.closedAt(),
    pool.startDate(),
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
      return { callId, period: periodNumber(c.period), amount: str(c.amount), paid: str(c.paid) };
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
  const [feeRecipient, feePerPeriod, feeArrears, guarantor, cap, called, defaulted, absorbed] = await Promise.all([
    pool.feeRecipient(),
    pool.feePerPeriod(),
    pool.feeArrears(),
    pool.guarantor(),
    pool.guaranteeCap(),
    pool.guaranteeCalled(),
    pool.lossesDefaulted(),
    pool.lossesAbsorbed(),
  ]);
  return {
    pool: await pool.getAddress(),
    status: POOL_STATUSES[Number(status)],
    paymentToken,
    originator,
    subscriptionDeadline: isoOf(deadline),
    closedAt: isoOf(closedAt),
    startDate: dateOf(startDate),
    startsAt: isoOf(startDate),
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
    losses: {
      defaulted: str(defaulted),
      allocated: str(defaulted - absorbed),
      absorbedByExcessReturn: str(absorbed),
    },
    reconciliation: await reconcileNow(pool),
  };
}

type Report = z.infer<typeof periodReportSchema>;

/** Each tranche's face, in tranche order. */
async function facesOf(pool: ReceivablePool): Promise<bigint[]> {
  const count = Number(await pool.trancheCount());
  return Promise.all(Array.from({ length: count }, async (_, i) => (await pool.trancheOf(i)).face));
}

/**
 * Every distributed period (the wind-up is the last): its report, digest, the transaction, each tranche's outstanding
 * and pool factor after it (from the report's `outstandingAfter`), and each waterfall step, in chain order.
 */
export async function distributionsOf(pool: ReceivablePool) {
  const [periods, steps, faces] = await Promise.all([
    eventsOf(pool, "PeriodDistributed"),
    eventsOf(pool, "WaterfallStepped"),
    facesOf(pool),
  ]);
  return distributionsFrom(periods, steps, faces);
}

/** `distributionsOf` from the pool's PeriodDistributed and WaterfallStepped events and its tranches' faces. */
export function distributionsFrom(periods: ChainEvent[], steps: ChainEvent[], faces: bigint[]) {
  return periods.map((e) => {
    const period = Number(e.args.period);
    const report = reportOf(e.args.report) as Report;
    return {
      period: periodNumber(period),
      digest: e.args.digest as string,
      report,
      tranchesAfter: report.outstandingAfter.map((outstanding, tranche) => ({
        tranche,
        outstanding,
        poolFactor: poolFactor(BigInt(outstanding), faces[tranche]),
      })),
      steps: steps
        .filter((s) => Number(s.args.period) === period)
        .map((s) => {
          const step = WATERFALL_STEPS[Number(s.args.step)];
          return {
            step,
            tranche: CREDIT_STEPS.includes(step) ? Number(s.args.tranche) : null,
            amount: s.args.amount as string,
            ...proof(s),
            logIndex: s.logIndex,
          };
        }),
      proof: proof(e),
    };
  });
}

/** The PeriodDistributed log of a distributed period (numbered from 1); 404 naming `query.period` otherwise. */
async function periodLog(pool: ReceivablePool, period: number) {
  const logs = await pool.queryFilter(pool.filters.PeriodDistributed(periodOnChain(period)));
  if (logs.length === 0) {
    throw AppError.of("NOT_FOUND", `period ${period} of this pool has not been distributed`, "query.period");
  }
  return logs[0];
}

type Figure = { section: string; item: string; tranche: string | null; amount: string };
const fig = (section: string, item: string, amount: string, tranche: string | null = null): Figure => ({
  section,
  item,
  tranche,
  amount,
});

/**
 * A report's figures, one per field by name (a list's entries per tranche, in tranche order), so that whatever the
 * report carries is shown and no two rows have the same (section, item, tranche).
 */
function reportFigures(report: Record<string, unknown>, tranches: string[]): Figure[] {
  const rows: Figure[] = [];
  const walk = (item: string, value: unknown, tranche: string | null) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(item, v, tranches[i] ?? String(i)));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(`${item}.${k}`, v, tranche);
    } else rows.push(fig("report", item, String(value), tranche));
  };
  for (const [k, v] of Object.entries(report)) if (!REPORT_HEADING_FIELDS.includes(k)) walk(k, v, null);
  return rows;
}

/** Conservation from a reconcile(): cash in, cash out and held, each item and its total, then the token check. */
function conservationOf(r: Reconciliation, asOf: { blockNumber: number; at: string | null }) {
  const sum = (keys: readonly Exclude<keyof Reconciliation, "balanced">[]) =>
    keys.reduce((acc, k) => acc + BigInt(r[k]), 0n).toString();
  const [cashIn, cashOut, held] = [sum(CASH_IN), sum(CASH_OUT), sum(HELD)];
  return {
    asOf,
    cashIn,
    cashOut,
    held,
    balanced: r.balanced,
    figures: [
      ...CASH_IN.map((k) => fig("cashIn", k, r[k])),
      fig("cashIn", "total", cashIn),
      ...CASH_OUT.map((k) => fig("cashOut", k, r[k])),
      fig("cashOut", "total", cashOut),
      ...HELD.map((k) => fig("held", k, r[k])),
      fig("held", "total", held),
      ...TOKEN_CHECK.map((k) => fig("check", k, r[k])),
    ],
  };
}

/**
 * Period `period`'s reconciliation (numbered from 1): its report's figures and digest, and conservation as the pool
 * stood right after that period's distribution — the report's `books`, the pool's own reconcile() taken in that
 * transaction and covered by the digest. Without a period: conservation now, from reconcile().
 */
export async function periodReconciliation(registry: Registry, pool: ReceivablePool, period: number | undefined) {
  const poolAddress = await pool.getAddress();
  const count = Number(await pool.trancheCount());
  const symbols = await Promise.all(
    Array.from({ length: count }, async (_, i) =>
      TrancheToken__factory.connect((await pool.trancheOf(i)).token, pool.runner).symbol(),
    ),
  );
  if (period === undefined) {
    const latest = (await registry.provider.getBlock("latest"))!;
    return {
      pool: poolAddress,
      period: null,
      startDate: null,
      endDate: null,
      distributedAt: null,
      digest: null,
      digestMatches: null,
      proof: null,
      figures: [],
      conservation: conservationOf(await reconcileNow(pool, latest.number), {
        blockNumber: latest.number,
        at: isoOf(latest.timestamp),
      }),
    };
  }
  const log = await periodLog(pool, period);
  const stored = await pool.periodDigestOf(periodOnChain(period));
  const block = (await registry.provider.getBlock(log.blockNumber))!;
  return distributedPeriodReconciliation({
    pool: poolAddress,
    symbols,
    period,
    report: log.args.report,
    digest: log.args.digest,
    storedDigest: stored,
    proof: proof(log),
    time: BigInt(block.timestamp),
  });
}

/** The PeriodDistributed event's report type, to hash a report as the pool did for its digest. */
const REPORT_TYPE = ReceivablePool__factory.createInterface().getEvent("PeriodDistributed").inputs[2];

/**
 * A distributed period's reconciliation from its PeriodDistributed event (the report as decoded, by the chain or the
 * index), the tranches' symbols, the block's time and the digest the pool stored for the period.
 */
export function distributedPeriodReconciliation(facts: {
  pool: string;
  symbols: string[];
  period: number;
  report: unknown;
  digest: string;
  storedDigest: string;
  proof: { blockNumber: number; transactionHash: string };
  time: bigint;
}) {
  const { symbols } = facts;
  // A tranche is named by its symbol; two tranches with one symbol are told apart by their index (0 = A1).
  const tranches = symbols.map((s, i) => (symbols.indexOf(s) === symbols.lastIndexOf(s) ? s : `${s} #${i}`));
  const report = reportOf(facts.report) as Report;
  const rehashed = keccak256(AbiCoder.defaultAbiCoder().encode([REPORT_TYPE], [facts.report]));
  return {
    pool: facts.pool,
    period: facts.period,
    startDate: report.startDate,
    endDate: report.endDate,
    distributedAt: report.distributedAt,
    digest: facts.digest,
    digestMatches: rehashed === facts.digest && facts.storedDigest === rehashed,
    proof: facts.proof,
    figures: reportFigures(report, tranches),
    conservation: conservationOf(report.books as Reconciliation, {
      blockNumber: facts.proof.blockNumber,
      at: isoOf(facts.time),
    }),
  };
}

export type PeriodReconciliation = Awaited<ReturnType<typeof periodReconciliation>>;

/**
 * A CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would read as a formula (it
 * starts with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe (OWASP CSV injection).
 */
export const csvCell = (v: string | number | boolean | null) => {
  const text = v === null ? "" : String(v);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The UTF-8 byte order mark: without it Excel reads a CSV in the system's code page and garbles Chinese names. */
export const BOM = "\uFEFF";

/**
 * One row per value, after a byte order mark: the period's heading (full ids), its report's figures, then
 * conservation. Every (section, item, tranche) appears once; numbers are plain integers of the smallest unit.
 */
export function reconciliationCsv(rec: PeriodReconciliation): string {
  const row = (section: string, item: string, value: string | number | boolean | null, tranche: string | null = null) =>
    [section, item, tranche, value].map(csvCell).join(",");
  const heading =
    rec.period === null
      ? [row("period", "pool", rec.pool)]
      : [
          row("period", "pool", rec.pool),
          row("period", "number", rec.period),
          row("period", "startDate", rec.startDate),
          row("period", "endDate", rec.endDate),
          row("period", "distributedAt", rec.distributedAt),
          row("period", "digest", rec.digest),
          row("period", "digestMatches", rec.digestMatches),
          row("period", "blockNumber", rec.proof!.blockNumber),
          row("period", "transactionHash", rec.proof!.transactionHash),
        ];
  const c = rec.conservation;
  const rows = [
    ...heading,
    ...rec.figures.map((f) => row(f.section, f.item, f.amount, f.tranche)),
    row("asOf", "blockNumber", c.asOf.blockNumber),
    row("asOf", "at", c.asOf.at),
    ...c.figures.map((f) => row(f.section, f.item, f.amount, f.tranche)),
    row("check", "balanced", c.balanced),
  ];
  return `${BOM}section,item,tranche,value\n${rows.join("\n")}\n`;
}
