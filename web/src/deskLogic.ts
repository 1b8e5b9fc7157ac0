/**
 * The desk's rules, kept free of the browser so that a unit test can feed them crafted inputs: the bank's watchlist
 * flags (which changes to its collateral matter, and since when), the office's working-day countdown, and how an
 * address is written short.
 */
import { holidaysKnown, isWorkingDay } from "../../definitions/workingCalendar";

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

/** Since when a flag holds: a calendar date, or the transaction that recorded the change (and its block's time when
 * the history gave it). */
export type Since = { date: string } | { transactionHash: string; at?: string | null } | null;
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
  /** the block's time, when the history gives it (an asset's does, a report's does not) */
  at?: string | null;
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
  e?.transactionHash
    ? e.at
      ? { transactionHash: e.transactionHash, at: e.at }
      : { transactionHash: e.transactionHash }
    : null;

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
 * at `receivedAt` (ISO instant): the same time of day on the next working day of the office's calendar (Beijing time,
 * UTC+8): public holidays skipped and adjusted working weekends counted, from the State Council's notices
 * (definitions/workingCalendar.ts); in a year the calendar does not hold, only Saturdays and Sundays are skipped.
 */
export function decisionDueBy(receivedAt: string, workingDays = 1): string {
  const OFFSET = 8 * 3_600_000;
  let at = Date.parse(receivedAt);
  let left = workingDays;
  while (left > 0) {
    at += DAY_MS;
    if (isWorkingDay(isoDay(at + OFFSET))) left--;
  }
  return new Date(at).toISOString();
}

/** Whether the countdown from `receivedAt` to `dueBy` knew every public holiday on its way (their years are in the calendar). */
export const countdownKnowsHolidays = (receivedAt: string, dueBy: string) =>
  holidaysKnown(isoDay(Date.parse(receivedAt) + 8 * 3_600_000)) &&
  holidaysKnown(isoDay(Date.parse(dueBy) + 8 * 3_600_000));

/** Whole hours from `now` until `dueBy` (negative: overdue by that many hours). */
export function hoursLeft(dueBy: string, now: number): number {
  const ms = Date.parse(dueBy) - now;
  return ms >= 0 ? Math.floor(ms / 3_600_000) : -Math.ceil(-ms / 3_600_000);
}

/** "0x12ab…cdef": the start and end of an address (or a transaction hash), enough to tell two apart at a glance. */
export const shortAddress = (address: string) =>
  /^0x(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;

// ───────────── what changed since an application was submitted ─────────────

/** The changes the office is told about, in the order it reads them: the assets' first, then the report's. */
export const CHANGE_CODES = [
  "LAPSED",
  "INVALIDATED",
  "RESTORED",
  "FROZEN",
  "UNFROZEN",
  "INVALIDATION_OPENED",
  "INVALIDATION_CLOSED",
  "HOLDERS_CHANGED",
  "FEES_LAPSED",
  "REPORT_REVOKED",
  "REPORT_SUPERSEDED",
  "REPORT_EXPIRED",
] as const;
export type ChangeCode = (typeof CHANGE_CODES)[number];

/** An event of the register with what it recorded (the asset's events carry `args`; `at` is its block's time). */
export interface RecordedEvent extends TimelineEvent {
  args?: Record<string, unknown>;
}
export interface Change {
  code: ChangeCode;
  /** the asset it is about (null: the valuation report) */
  assetId: string | null;
  /** when: the block's time of the event, or the first day of a lapse (fees, report) */
  at: string | null;
  /** the transaction that recorded it (null for a lapse of time) */
  transactionHash: string | null;
}

const ASSET_CHANGES: Record<string, (args: Record<string, unknown>) => ChangeCode | null> = {
  HoldersRecorded: () => "HOLDERS_CHANGED",
  FreezeRecorded: (a) => (a.freeze === "None" || a.freeze === 0 || a.freeze === "0" ? "UNFROZEN" : "FROZEN"),
  AssetStatusRecorded: (a) =>
    ({ Lapsed: "LAPSED", Invalidated: "INVALIDATED", Granted: "RESTORED" })[String(a.status)] as ChangeCode | null,
  InvalidationProceedingsRecorded: (a) =>
    a.pending === true || a.pending === "true" ? "INVALIDATION_OPENED" : "INVALIDATION_CLOSED",
};
const REPORT_CHANGES: Record<string, ChangeCode> = {
  ReportRevoked: "REPORT_REVOKED",
  ReportSuperseded: "REPORT_SUPERSEDED",
};

/**
 * What changed since an application was submitted (its PledgeApplied event in block `appliedBlock`, on
 * `submittedDay`) until `today` (YYYY-MM-DD): each asset's status, freeze, invalidation proceedings and holders
 * recorded after that block, its annual fees run out since; the valuation report revoked or superseded after that
 * block, or its validity run out since. Oldest first within each asset and the report.
 */
export function changesSince(
  application: { appliedBlock: number; submittedDay: string },
  assets: { assetId: string; feesPaidUntil: string | null; history: RecordedEvent[] }[],
  report: { validUntil: string | null; history: RecordedEvent[] } | null,
  today: string,
): Change[] {
  const after = (e: RecordedEvent) => (e.blockNumber ?? Infinity) > application.appliedBlock;
  const byBlock = (a: RecordedEvent, b: RecordedEvent) => (a.blockNumber ?? 0) - (b.blockNumber ?? 0);
  const submitted = dayOf(application.submittedDay);
  const now = dayOf(today);
  // Paid (or valid) through a day on or after submission, and that day is over: it ran out in between.
  const ranOut = (until: string | null) =>
    until !== null && dayOf(until) >= submitted && dayOf(until) < now ? isoDay(dayOf(until) + DAY_MS) : null;
  const changes: Change[] = [];
  for (const a of assets) {
    for (const e of a.history.filter(after).sort(byBlock)) {
      const code = ASSET_CHANGES[e.event]?.(e.args ?? {});
      if (code) changes.push({ code, assetId: a.assetId, at: e.at ?? null, transactionHash: e.transactionHash });
    }
    const lapse = ranOut(a.feesPaidUntil);
    if (lapse) changes.push({ code: "FEES_LAPSED", assetId: a.assetId, at: lapse, transactionHash: null });
  }
  if (report) {
    for (const e of report.history.filter(after).sort(byBlock)) {
      const code = REPORT_CHANGES[e.event];
      if (code) changes.push({ code, assetId: null, at: e.at ?? null, transactionHash: e.transactionHash });
    }
    const expired = ranOut(report.validUntil);
    if (expired) changes.push({ code: "REPORT_EXPIRED", assetId: null, at: expired, transactionHash: null });
  }
  return changes;
}

// ───────────── what kind of file a document is ─────────────

export type DocumentKind = "pdf" | "png" | "jpeg" | "gif" | "webp" | "text" | "other";
/** The media type a kind is shown with (the file is shown by what its bytes are, not by what it was uploaded as). */
export const MEDIA_TYPES: Record<Exclude<DocumentKind, "text" | "other">, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/**
 * What a document's bytes are, read from their first bytes (the gateway keeps whatever media type the uploader sent,
 * often none): PDF, an image the browser shows safely, UTF-8 text (no NUL byte), or anything else — which is
 * offered as a download and never rendered (an HTML or SVG file would run in the app's origin).
 */
export function documentKind(bytes: Uint8Array): DocumentKind {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  const ascii = (from: number, s: string) => [...s].every((c, i) => bytes[from + i] === c.charCodeAt(0));
  if (ascii(0, "%PDF-")) return "pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "webp";
  if (bytes.includes(0)) return "other";
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // Markup is text too, but shown as its source: the viewer prints text, it never parses it.
    return text.length > 0 ? "text" : "other";
  } catch {
    return "other";
  }
}
