/**
 * What the gateway knows of the ReceivablePool contract, in one place: how its periods are numbered, which fields
 * of its PeriodReport are instants, the names of its enums, which of its errors carry a period, a status or an
 * instant, and how its reconcile() adds up — so that a change of the contract is met here. Everything else reads
 * the report field by field by name (chain/events.ts `plain`), so a field the contract adds flows through as is.
 */
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

/** The pool's enums, as compiled (definitions/enumNames.ts). */
export {
  NOT_DEFAULTABLE_REASONS,
  POOL_ADDRESS_FIELDS,
  POOL_AMOUNT_FIELDS,
  POOL_STATUSES,
  WATERFALL_STEPS,
} from "../../../../definitions/enumNames";
import { WATERFALL_STEPS } from "../../../../definitions/enumNames";
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

/**
 * The report fields a reconciliation does not list among the period's figures: the heading (not money), and `books`,
 * the pool's reconcile() right after the distribution, which a reconciliation shows as its conservation.
 */
export const REPORT_HEADING_FIELDS = [...Object.keys(REPORT_FIELDS), "books"];

// ───────────── refusals ─────────────

/**
 * A refusal of the pool in the API's terms. The contract error table (api/src/errors/contractErrorTable.ts) already
 * gives its arguments so (periods from 1, instants in ISO 8601, enum names): this only decodes what is not decoded.
 */
export function inPoolTerms(error: unknown): unknown {
  return error instanceof AppError ? error : (chainErrorToAppError(error) ?? error);
}

// ───────────── cash, as the events tell it ─────────────

/**
 * reconcile()'s figures (and a report's `books`) as the conservation equation reads them: cash in = cash out + held,
 * to the unit.
 */
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
 * booking): the first PeriodDistributed after it, since each distribution takes every collection booked before it. A
 * guarantor's pull inside a distribution comes before that distribution's PeriodDistributed, so it links to its own
 * period.
 */
export const paidOutBy = <D extends Position>(entered: Position, distributions: D[]) =>
  distributions.find((d) => comesBefore(entered, d));

/** The pool's own reconcile(), decoded by name: now, or at the end of block `blockTag`. */
export async function reconcileNow(pool: ReceivablePool, blockTag?: number): Promise<Reconciliation> {
  return plain(await pool.reconcile(blockTag === undefined ? {} : { blockTag })) as Reconciliation;
}
