/**
 * The desk's rules, kept free of the browser so that a unit test can feed them crafted inputs: the bank's watchlist
 * flags (which changes to its collateral matter, and since when), the office's working-day countdown, and how an
 * address is written short.
 */

/** The flags of a watched pledge, most serious first (the order the watchlist shows them in). */
export const FLAG_CODES = [
  "ASSET_LAPSED",
  "ASSET_INVALIDATED",
  "FROZEN",
  "INVALIDATION_PENDING",
  "FEES_OVERDUE",
  "HOLDERS_CHANGED",
  "REPORT_REVOKED",
  "REPORT_SUPERSEDED",
  "REPORT_EXPIRED",
  "PAST_MATURITY",
  "NEAR_MATURITY",
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** Since when a flag holds: a calendar date, or the transaction that recorded the change (its block's time). */
export type Since = { date: string } | { transactionHash: string } | null;
export interface Flag {
  code: FlagCode;
  /** the asset it is about (null: about the pledge or its valuation report) */
  assetId: string | null;
  since: Since;
}

export interface TimelineEvent {
  event: string;
  blockNumber: number | null;
  transactionHash: string | null;
}
/** What the watchlist reads of each asset: GET /v1/assets/{id}. */
export interface WatchedAsset {
  assetId: string;
  status: string | null;
  freeze: string | null;
  invalidationPending: boolean;
  feesPaidUntil: string | null;
  history: TimelineEvent[];
}
/** What the watchlist reads of each pledge: GET /v1/pledges?pledgee=… and, for its report, the collateral check. */
export interface WatchedPledge {
  pledgeId: string;
  status: string | null;
  maturityDate: string | null;
  /** the block of its application: a holder change after it happened while the asset was pledged */
  appliedBlock: number;
  /** VALID | REVOKED | SUPERSEDED | EXPIRED | … from GET /v1/collateral */
  valuationVerdict: string | null;
  /** the report's own history (GET /v1/valuations/{hash}) and its last valid day */
  report: { validUntil: string | null; history: TimelineEvent[] } | null;
}

/** How many days before maturity a pledge is flagged. */
export const NEAR_MATURITY_DAYS = 30;

const DAY_MS = 86_400_000;
const dayOf = (isoDate: string) => Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const latest = (history: TimelineEvent[], name: string, after = -1) =>
  history
    .filter((e) => e.event === name && (e.blockNumber ?? Infinity) > after)
    .sort((a, b) => (b.blockNumber ?? 0) - (a.blockNumber ?? 0))[0];
const byTx = (e: TimelineEvent | undefined): Since =>
  e?.transactionHash ? { transactionHash: e.transactionHash } : null;

/**
 * The flags of one pledge on `today` (YYYY-MM-DD): for each asset its lapse or invalidation, freeze, invalidation
 * proceedings, overdue annual fees and holder changes since the application; for the pledge its valuation report
 * revoked, superseded or expired, and its maturity near or past.
 */
export function watchFlags(pledge: WatchedPledge, assets: WatchedAsset[], today: string): Flag[] {
  const flags: Flag[] = [];
  const now = dayOf(today);
  for (const a of assets) {
    const add = (code: FlagCode, since: Since) => flags.push({ code, assetId: a.assetId, since });
    if (a.status === "Lapsed") add("ASSET_LAPSED", byTx(latest(a.history, "AssetStatusRecorded")));
    if (a.status === "Invalidated") add("ASSET_INVALIDATED", byTx(latest(a.history, "AssetStatusRecorded")));
    if (a.freeze && a.freeze !== "None") add("FROZEN", byTx(latest(a.history, "FreezeRecorded")));
    if (a.invalidationPending) add("INVALIDATION_PENDING", byTx(latest(a.history, "InvalidationProceedingsRecorded")));
    // Fees paid until a day before today: unpaid since the day after.
    if (a.feesPaidUntil && dayOf(a.feesPaidUntil) < now) {
      add("FEES_OVERDUE", { date: isoDay(dayOf(a.feesPaidUntil) + DAY_MS) });
    }
    const moved = latest(a.history, "HoldersRecorded", pledge.appliedBlock);
    if (moved) add("HOLDERS_CHANGED", byTx(moved));
  }
  const add = (code: FlagCode, since: Since) => flags.push({ code, assetId: null, since });
  const history = pledge.report?.history ?? [];
  if (pledge.valuationVerdict === "REVOKED") add("REPORT_REVOKED", byTx(latest(history, "ReportRevoked")));
  if (pledge.valuationVerdict === "SUPERSEDED") add("REPORT_SUPERSEDED", byTx(latest(history, "ReportSuperseded")));
  if (pledge.valuationVerdict === "EXPIRED") {
    const until = pledge.report?.validUntil;
    add("REPORT_EXPIRED", until ? { date: isoDay(dayOf(until) + DAY_MS) } : null);
  }
  if (pledge.maturityDate && pledge.status === "Registered") {
    const maturity = dayOf(pledge.maturityDate);
    if (maturity < now) add("PAST_MATURITY", { date: isoDay(maturity + DAY_MS) });
    else if (maturity - now <= NEAR_MATURITY_DAYS * DAY_MS) {
      add("NEAR_MATURITY", { date: isoDay(maturity - NEAR_MATURITY_DAYS * DAY_MS) });
    }
  }
  return flags.sort((x, y) => FLAG_CODES.indexOf(x.code) - FLAG_CODES.indexOf(y.code));
}

/**
 * SPEC §1: a registration is decided within one working day. The moment that day ends for an application received
 * at `receivedAt` (ISO instant): the same time of day on the next working day, Saturdays and Sundays skipped by the
 * office's calendar (Beijing time, UTC+8). Public holidays are not known here, so the countdown may be short by them.
 */
export function decisionDueBy(receivedAt: string, workingDays = 1): string {
  const OFFSET = 8 * 3_600_000;
  let at = Date.parse(receivedAt);
  let left = workingDays;
  while (left > 0) {
    at += DAY_MS;
    const weekday = new Date(at + OFFSET).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(at).toISOString();
}

/** Whole hours from `now` until `dueBy` (negative: overdue by that many hours). */
export function hoursLeft(dueBy: string, now: number): number {
  const ms = Date.parse(dueBy) - now;
  return ms >= 0 ? Math.floor(ms / 3_600_000) : -Math.ceil(-ms / 3_600_000);
}

/** "0x12ab…cdef": the start and end of an address (or a transaction hash), enough to tell two apart at a glance. */
export const shortAddress = (address: string) =>
  /^0x(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
