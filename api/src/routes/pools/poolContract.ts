/**
 * What the gateway knows of the ReceivablePool contract, in one place: how its periods are numbered, which fields
 * of its PeriodReport are instants, the names of its enums, which of its errors carry a period, a status or an
 * instant, and which of its events move cash — so that a change of the contract is met here. Everything else reads
 * the report field by field by name (chain/events.ts `plain`), so a field the contract adds flows through as is.
 */
import { Interface, type EventLog, type Log } from "ethers";
import type { ReceivablePool } from "../../../../typechain-types";
import { plain } from "../../chain/events";
import { AppError } from "../../errors/AppError";
import { chainErrorToAppError } from "../../errors/contractErrors";
import { isoOf } from "../../openapi/schemas";

// ───────────── numbering and names ─────────────

/** The contract counts periods from 0; people (API, CSV, deal documents) from 1 (SPEC §6 conventions). */
export const periodNumber = (onChain: bigint | number | string) => Number(onChain) + 1;
/** The contract's index of period `number` (1 is the first). */
export const periodOnChain = (number: number) => number - 1;

/** `PoolStatus`, in the enum's order. */
export const POOL_STATUSES = ["Subscription", "Active", "Cancelled", "WoundUp"] as const;
/** `WaterfallStep`, in the enum's order. */
export const WATERFALL_STEPS = [
  "Fees",
  "SeniorInterest",
  "ReserveDraw",
  "GuarantorCall",
  "SeniorPrincipal",
  "ReserveTopUp",
  "ReserveRelease",
  "Subordinated",
] as const;
export type WaterfallStepName = (typeof WATERFALL_STEPS)[number];
/** The steps that credit a tranche's holders (their `tranche` argument names the tranche). */
export const CREDIT_STEPS: readonly WaterfallStepName[] = ["SeniorInterest", "SeniorPrincipal", "Subordinated"];

// ───────────── the period report ─────────────

/** How a report field is shown when it is not money: the period from 1, instants in ISO 8601. */
const REPORT_FIELDS: Record<string, (value: unknown) => unknown> = {
  period: (v) => periodNumber(String(v)),
  startDate: (v) => isoOf(BigInt(String(v))),
  endDate: (v) => isoOf(BigInt(String(v))),
  distributedAt: (v) => isoOf(BigInt(String(v))),
};

/** A PeriodReport (the decoded struct) as the API shows it: every field by name, money as decimal strings. */
export function reportOf(report: unknown): Record<string, unknown> {
  const fields = plain(report) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, REPORT_FIELDS[k] ? REPORT_FIELDS[k](v) : v]));
}

/** The report fields that are not money (shown in a reconciliation's heading rather than as figures). */
export const REPORT_HEADING_FIELDS = Object.keys(REPORT_FIELDS);

// ───────────── refusals ─────────────

/**
 * A refusal of the pool in the API's terms. The contract error table (api/src/errors/contractErrorTable.ts) already
 * gives its arguments so (periods from 1, instants in ISO 8601, enum names): this only decodes what is not decoded.
 */
export function inPoolTerms(error: unknown): unknown {
  return error instanceof AppError ? error : (chainErrorToAppError(error) ?? error);
}

// ───────────── cash, as the events tell it ─────────────

/** reconcile()'s figures as the conservation equation reads them: cash in = cash out + held, to the unit. */
export const CASH_IN = ["subscribed", "collected", "guarantorPaid", "unsolicited"] as const;
export const CASH_OUT = ["proceedsPaid", "feesPaid", "claimsPaid", "refunded"] as const;
export const HELD = ["escrow", "collectionsAvailable", "reserve", "trancheClaimable", "dust"] as const;
/** …and the check against the token: held + unbooked = the pool's balance of the payment token. */
export const TOKEN_CHECK = ["tokenBalance", "unbooked"] as const;
type ReconcileFigure = (typeof CASH_IN | typeof CASH_OUT | typeof HELD | typeof TOKEN_CHECK)[number];
export type Reconciliation = Record<ReconcileFigure, string> & { balanced: boolean };

/** Where a log is in the chain's order. */
export type Position = { blockNumber: number; logIndex: number };
export const comesBefore = (a: Position, b: Position) =>
  a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex);

/**
 * The distribution that paid out cash which entered the pool at `entered` (a payment, a guarantor's payment, a
 * booking): the first PeriodDistributed after it, since each distribution takes every collection booked before it.
 */
export const paidOutBy = <D extends Position>(entered: Position, distributions: D[]) =>
  distributions.find((d) => comesBefore(entered, d));

/** A point in the chain's history: the end of transaction `transactionIndex` of block `blockNumber`. */
export interface ChainPoint {
  blockNumber: number;
  transactionIndex: number;
}

const upTo = (point: ChainPoint) => (log: Log) =>
  log.blockNumber < point.blockNumber ||
  (log.blockNumber === point.blockNumber && log.transactionIndex <= point.transactionIndex);

const TRANSFER = new Interface(["event Transfer(address indexed from, address indexed to, uint256 value)"]);

/**
 * The pool's reconcile() as it stood at `point`, rebuilt from its events up to there: every cash total is the sum of
 * the events that move it, every bucket what went in less what came out. Same fields as reconcile().
 */
export async function reconcileAt(pool: ReceivablePool, point: ChainPoint): Promise<Reconciliation> {
  const address = await pool.getAddress();
  const token = await pool.paymentToken();
  const provider = pool.runner!.provider!;
  const [logs, tokenIn, tokenOut] = await Promise.all([
    pool.queryFilter("*" as unknown as Parameters<ReceivablePool["queryFilter"]>[0], 0, point.blockNumber),
    provider.getLogs({
      address: token,
      topics: TRANSFER.encodeFilterTopics("Transfer", [null, address]),
      fromBlock: 0,
      toBlock: point.blockNumber,
    }),
    provider.getLogs({
      address: token,
      topics: TRANSFER.encodeFilterTopics("Transfer", [address]),
      fromBlock: 0,
      toBlock: point.blockNumber,
    }),
  ]);
  const events = logs.filter(upTo(point)).filter((l): l is EventLog => "fragment" in l && l.fragment !== undefined);
  const total = (name: string, field: string) =>
    events.filter((e) => e.fragment.name === name).reduce((sum, e) => sum + BigInt(e.args[field]), 0n);
  const reports: Record<string, bigint>[] = events
    .filter((e) => e.fragment.name === "PeriodDistributed")
    .map((e) => e.args.report);
  const reported = (field: string) => reports.reduce((sum: bigint, r) => sum + BigInt(r[field]), 0n);
  const transferred = (found: Log[]) =>
    found.filter(upTo(point)).reduce((sum, l) => sum + BigInt(TRANSFER.parseLog(l)!.args.value), 0n);
  // Holders are credited through their tranche token; what its rounding could not credit is the report's dust.
  const creditSteps = new Set(CREDIT_STEPS.map((s) => WATERFALL_STEPS.indexOf(s)));
  const credited =
    events
      .filter((e) => e.fragment.name === "WaterfallStepped" && creditSteps.has(Number(e.args.step)))
      .reduce((sum, e) => sum + BigInt(e.args.amount), 0n) - reported("dust");

  const subscribed = total("Subscribed", "amount");
  const proceedsPaid = total("PoolClosed", "proceeds");
  const refunded = total("Refunded", "amount");
  const reserveFunded = total("PoolClosed", "reserve");
  const claimsPaid = total("Claimed", "amount");
  const f: Record<ReconcileFigure, bigint> = {
    subscribed,
    collected: total("InstalmentPaid", "amount"),
    guarantorPaid: total("GuarantorPaid", "amount"),
    unsolicited: total("UnsolicitedBooked", "amount"),
    proceedsPaid,
    feesPaid: reported("feesPaid"),
    claimsPaid,
    refunded,
    escrow: subscribed - refunded - proceedsPaid - reserveFunded,
    collectionsAvailable: 0n,
    reserve: reserveFunded + reported("reserveToppedUp") - reported("reserveDrawn") - reported("reserveReleased"),
    trancheClaimable: credited - claimsPaid,
    dust: reported("dust"),
    tokenBalance: transferred(tokenIn) - transferred(tokenOut),
    unbooked: 0n,
  };
  f.collectionsAvailable = f.collected + f.guarantorPaid + f.unsolicited - reported("collections");
  const sumOf = (keys: readonly ReconcileFigure[]) => keys.reduce((sum, k) => sum + f[k], 0n);
  const held = sumOf(HELD);
  f.unbooked = f.tokenBalance > held ? f.tokenBalance - held : 0n;
  const shown = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.toString()]));
  return {
    ...(shown as Record<ReconcileFigure, string>),
    balanced: sumOf(CASH_IN) === sumOf(CASH_OUT) + held && held + f.unbooked === f.tokenBalance,
  };
}

/** The pool's own reconcile(), decoded by name: now, or at the end of block `blockTag`. */
export async function reconcileNow(pool: ReceivablePool, blockTag?: number): Promise<Reconciliation> {
  return plain(await pool.reconcile(blockTag === undefined ? {} : { blockTag })) as Reconciliation;
}
