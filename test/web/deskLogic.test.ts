/**
 * The desk's rules on crafted inputs: which changes to a bank's collateral raise which watchlist flag and since when,
 * the office's one-working-day countdown, and short addresses.
 */
import { expect } from "chai";
import {
  changesSince,
  countdownKnowsHolidays,
  decisionDueBy,
  documentKind,
  hoursLeft,
  shortAddress,
  watchFlags,
  type WatchedAsset,
  type WatchedPledge,
} from "../../web/src/deskLogic";

const TODAY = "2027-03-15";
const tx = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const event = (name: string, block: number) => ({ event: name, blockNumber: block, transactionHash: tx(block) });

/** A pledge applied in block 100, maturing in a year, on a valid report: nothing to flag. */
const pledge = (over: Partial<WatchedPledge> = {}): WatchedPledge => ({
  pledgeId: "7",
  status: "Registered",
  maturityDate: "2028-03-15",
  appliedBlock: 100,
  valuationVerdict: "VALID",
  report: { validUntil: "2028-01-01", history: [event("ReportAnchored", 90)] },
  ...over,
});
const asset = (over: Partial<WatchedAsset> = {}): WatchedAsset => ({
  assetId: "0xaa",
  status: "Granted",
  freeze: "None",
  invalidationPending: false,
  feesPaidUntil: "2027-12-31",
  history: [event("AssetRecorded", 10), event("HoldersRecorded", 10), event("AnnualFeesRecorded", 50)],
  ...over,
});

describe("web desk — watchlist flags, working-day countdown, short addresses", () => {
  it("flags nothing for a granted, paid-up, unfrozen asset on a valid report far from maturity", () => {
    expect(watchFlags(pledge(), [asset()], TODAY)).to.deep.equal([]);
  });

  it("flags a lapse, a freeze and invalidation proceedings since the transaction that recorded each (the latest)", () => {
    const history = [
      ...asset().history,
      event("FreezeRecorded", 110),
      event("FreezeRecorded", 130), // frozen again after a lifting: the latest freeze counts
      event("AssetStatusRecorded", 140),
      event("InvalidationProceedingsRecorded", 150),
    ];
    const flags = watchFlags(
      pledge(),
      [asset({ status: "Lapsed", freeze: "OwnershipDispute", invalidationPending: true, history })],
      TODAY,
    );
    expect(flags).to.deep.equal([
      { code: "ASSET_LAPSED", assetId: "0xaa", since: { transactionHash: tx(140) } },
      { code: "FROZEN", assetId: "0xaa", since: { transactionHash: tx(130) } },
      { code: "INVALIDATION_PENDING", assetId: "0xaa", since: { transactionHash: tx(150) } },
    ]);
    const invalidated = watchFlags(pledge(), [asset({ status: "Invalidated", history })], TODAY);
    expect(invalidated.map((f) => f.code)).to.deep.equal(["ASSET_INVALIDATED"]);
  });

  it("flags fees unpaid from the day after they were paid until, and not on that last paid day", () => {
    expect(watchFlags(pledge(), [asset({ feesPaidUntil: "2027-03-15" })], TODAY)).to.deep.equal([]);
    expect(watchFlags(pledge(), [asset({ feesPaidUntil: "2027-02-28" })], TODAY)).to.deep.equal([
      { code: "FEES_OVERDUE", assetId: "0xaa", since: { date: "2027-03-01" } },
    ]);
  });

  it("flags a holder change only when recorded after the pledge's application", () => {
    const before = asset({ history: [...asset().history, event("HoldersRecorded", 99)] });
    expect(watchFlags(pledge(), [before], TODAY)).to.deep.equal([]);
    const after = asset({ history: [...before.history, event("HoldersRecorded", 101), event("HoldersRecorded", 120)] });
    expect(watchFlags(pledge(), [after], TODAY)).to.deep.equal([
      { code: "HOLDERS_CHANGED", assetId: "0xaa", since: { transactionHash: tx(120) } },
    ]);
  });

  it("flags the valuation report revoked, superseded or expired, each since its own event or day", () => {
    const history = [event("ReportAnchored", 90), event("ReportRevoked", 160), event("ReportSuperseded", 170)];
    const report = { validUntil: "2027-01-31", history };
    const revoked = watchFlags(pledge({ valuationVerdict: "REVOKED", report }), [asset()], TODAY);
    expect(revoked).to.deep.equal([{ code: "REPORT_REVOKED", assetId: null, since: { transactionHash: tx(160) } }]);
    const superseded = watchFlags(pledge({ valuationVerdict: "SUPERSEDED", report }), [asset()], TODAY);
    expect(superseded).to.deep.equal([
      { code: "REPORT_SUPERSEDED", assetId: null, since: { transactionHash: tx(170) } },
    ]);
    const expired = watchFlags(pledge({ valuationVerdict: "EXPIRED", report }), [asset()], TODAY);
    expect(expired).to.deep.equal([{ code: "REPORT_EXPIRED", assetId: null, since: { date: "2027-02-01" } }]);
  });

  it("flags maturity within 30 days from the day the window opened, and past maturity while still registered", () => {
    expect(watchFlags(pledge({ maturityDate: "2027-04-15" }), [asset()], TODAY)).to.deep.equal([]); // 31 days
    expect(watchFlags(pledge({ maturityDate: "2027-04-14" }), [asset()], TODAY)).to.deep.equal([
      { code: "NEAR_MATURITY", assetId: null, since: { date: "2027-03-15" } },
    ]);
    expect(watchFlags(pledge({ maturityDate: "2027-03-10" }), [asset()], TODAY)).to.deep.equal([
      { code: "PAST_MATURITY", assetId: null, since: { date: "2027-03-11" } },
    ]);
    // A pledge in default is past its maturity by design: the default itself is the bank's flag, not this one.
    expect(watchFlags(pledge({ maturityDate: "2027-03-10", status: "Defaulted" }), [asset()], TODAY)).to.deep.equal([]);
  });

  it("lists several assets' flags most serious first", () => {
    const a = asset({ assetId: "0xaa", feesPaidUntil: "2027-01-01" });
    const b = asset({ assetId: "0xbb", freeze: "PreservationOrder", history: [event("FreezeRecorded", 180)] });
    const flags = watchFlags(pledge({ maturityDate: "2027-03-20" }), [a, b], TODAY);
    expect(flags.map((f) => [f.code, f.assetId])).to.deep.equal([
      ["FROZEN", "0xbb"],
      ["FEES_OVERDUE", "0xaa"],
      ["NEAR_MATURITY", null],
    ]);
  });

  it("counts one working day from receipt, skipping Saturday and Sunday by Beijing time", () => {
    // Wednesday 10:00 Beijing (02:00 UTC) → Thursday 10:00.
    expect(decisionDueBy("2027-03-10T02:00:00.000Z")).to.equal("2027-03-11T02:00:00.000Z");
    // Friday 17:00 Beijing (09:00 UTC) → Monday 17:00.
    expect(decisionDueBy("2027-03-12T09:00:00.000Z")).to.equal("2027-03-15T09:00:00.000Z");
    // Friday 23:30 UTC is Saturday 07:30 in Beijing → Monday 07:30 Beijing.
    expect(decisionDueBy("2027-03-12T23:30:00.000Z")).to.equal("2027-03-14T23:30:00.000Z");
    const due = "2027-03-11T02:00:00.000Z";
    expect(hoursLeft(due, Date.parse("2027-03-10T02:00:00.000Z"))).to.equal(24);
    expect(hoursLeft(due, Date.parse("2027-03-11T01:30:00.000Z"))).to.equal(0);
    expect(hoursLeft(due, Date.parse("2027-03-11T02:30:00.000Z"))).to.equal(-1);
    expect(hoursLeft(due, Date.parse("2027-03-11T05:00:00.000Z"))).to.equal(-3);
  });

  it("skips mainland China's public holidays and counts the adjusted working weekends (State Council notices)", () => {
    // Wednesday 30 September 2026, 10:00 Beijing: 国庆 runs 1–7 October → Thursday 8 October, 10:00.
    expect(decisionDueBy("2026-09-30T02:00:00.000Z")).to.equal("2026-10-08T02:00:00.000Z");
    // Friday 9 October 2026: Saturday 10 October is a working day (调休上班) → Saturday 10:00.
    expect(decisionDueBy("2026-10-09T02:00:00.000Z")).to.equal("2026-10-10T02:00:00.000Z");
    // Friday 13 February 2026 → Saturday 14 February, a working day before 春节.
    expect(decisionDueBy("2026-02-13T02:00:00.000Z")).to.equal("2026-02-14T02:00:00.000Z");
    // Saturday 14 February 2026 (a working day): 春节 15–23 February → Tuesday 24 February.
    expect(decisionDueBy("2026-02-14T02:00:00.000Z")).to.equal("2026-02-24T02:00:00.000Z");
    // Tuesday 30 December 2025 → Wednesday 31 December; Wednesday 31 December → 元旦 1–3 January, Sunday 4 January
    // 2026 is a working day.
    expect(decisionDueBy("2025-12-30T02:00:00.000Z")).to.equal("2025-12-31T02:00:00.000Z");
    expect(decisionDueBy("2025-12-31T02:00:00.000Z")).to.equal("2026-01-04T02:00:00.000Z");
    // 2025: Tuesday 30 September → 国庆、中秋 1–8 October → Thursday 9 October.
    expect(decisionDueBy("2025-09-30T02:00:00.000Z")).to.equal("2025-10-09T02:00:00.000Z");
    // Two working days from Thursday 30 April 2026: 劳动节 1–5 May → Wednesday 6 and Thursday 7 May.
    expect(decisionDueBy("2026-04-30T02:00:00.000Z", 2)).to.equal("2026-05-07T02:00:00.000Z");
    expect(countdownKnowsHolidays("2026-09-30T02:00:00.000Z", "2026-10-08T02:00:00.000Z")).to.equal(true);
  });

  it("ignores the holidays of a year the calendar does not hold, and says so", () => {
    // Thursday 30 September 2027 → Friday 1 October: the 2027 notice is not in the calendar, only weekends count.
    expect(decisionDueBy("2027-09-30T02:00:00.000Z")).to.equal("2027-10-01T02:00:00.000Z");
    expect(countdownKnowsHolidays("2027-09-30T02:00:00.000Z", "2027-10-01T02:00:00.000Z")).to.equal(false);
    // Wednesday 31 December 2026 (known) → Friday 1 January 2027 (not known): not every holiday was counted.
    expect(countdownKnowsHolidays("2026-12-31T02:00:00.000Z", "2027-01-01T02:00:00.000Z")).to.equal(false);
  });

  it("tells the office what changed since an application was submitted, each change once, in block order", () => {
    const ev = (name: string, block: number, args: Record<string, unknown> = {}) => ({
      ...event(name, block),
      at: `2027-03-0${block % 9}T00:00:00.000Z`,
      args,
    });
    const history = [
      ev("AssetRecorded", 10, { status: "Granted" }),
      ev("FreezeRecorded", 90, { freeze: "PreservationOrder" }), // before the application: not a change
      ev("HoldersRecorded", 120, { holders: [] }),
      ev("FreezeRecorded", 110, { freeze: "OwnershipDispute" }),
      ev("FreezeRecorded", 130, { freeze: "None" }),
      ev("AssetStatusRecorded", 140, { status: "Lapsed" }),
      ev("InvalidationProceedingsRecorded", 150, { pending: true }),
      ev("AnnualFeesRecorded", 160, { feesPaidUntil: "2027-03-01" }), // a payment is not a loss
    ];
    const report = { validUntil: "2028-01-01", history: [ev("ReportAnchored", 50), ev("ReportRevoked", 105)] };
    const changes = changesSince(
      { appliedBlock: 100, submittedDay: "2027-03-01" },
      [{ assetId: "0xaa", feesPaidUntil: "2027-12-31", history }],
      report,
      TODAY,
    );
    expect(changes.map((c) => [c.code, c.assetId, c.transactionHash])).to.deep.equal([
      ["FROZEN", "0xaa", tx(110)],
      ["HOLDERS_CHANGED", "0xaa", tx(120)],
      ["UNFROZEN", "0xaa", tx(130)],
      ["LAPSED", "0xaa", tx(140)],
      ["INVALIDATION_OPENED", "0xaa", tx(150)],
      ["REPORT_REVOKED", null, tx(105)],
    ]);
    expect(changes[0].at).to.equal(`2027-03-0${110 % 9}T00:00:00.000Z`);
  });

  it("tells the office of annual fees and a report's validity that ran out since submission, not before", () => {
    const asset = (feesPaidUntil: string) => ({ assetId: "0xaa", feesPaidUntil, history: [] });
    const report = (validUntil: string) => ({ validUntil, history: [] });
    const applied = { appliedBlock: 100, submittedDay: "2027-03-01" };
    // Paid through 5 March, valid through 10 March: both ran out after the submission on 1 March.
    expect(changesSince(applied, [asset("2027-03-05")], report("2027-03-10"), TODAY)).to.deep.equal([
      { code: "FEES_LAPSED", assetId: "0xaa", at: "2027-03-06", transactionHash: null },
      { code: "REPORT_EXPIRED", assetId: null, at: "2027-03-11", transactionHash: null },
    ]);
    // Already run out before the submission (the rules say so), or still running today: no change.
    expect(changesSince(applied, [asset("2027-02-28")], report("2027-03-15"), TODAY)).to.deep.equal([]);
    expect(changesSince(applied, [asset("2027-12-31")], null, TODAY)).to.deep.equal([]);
  });

  it("tells a document's kind by its first bytes, never by what it was uploaded as", () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    const text = (s: string) => new TextEncoder().encode(s);
    expect(documentKind(text("%PDF-1.7\n…"))).to.equal("pdf");
    expect(documentKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).to.equal("png");
    expect(documentKind(bytes(0xff, 0xd8, 0xff, 0xe0, 0))).to.equal("jpeg");
    expect(documentKind(text("GIF89a……"))).to.equal("gif");
    expect(documentKind(text("RIFF\0\0\0\0WEBPVP8 "))).to.equal("webp");
    expect(documentKind(text("质押合同 第一条…"))).to.equal("text");
    expect(documentKind(text("<svg onload='alert(1)'></svg>"))).to.equal("text"); // shown as its source
    expect(documentKind(bytes(0x50, 0x4b, 0x03, 0x04, 0x00))).to.equal("other"); // a zip
    expect(documentKind(bytes(0xc3, 0x28))).to.equal("other"); // not UTF-8
    expect(documentKind(bytes())).to.equal("other");
  });

  it("writes an address as its first six and last four characters; anything else as it is", () => {
    expect(shortAddress("0x1234567890abcdef1234567890abcdef12345678")).to.equal("0x1234…5678");
    expect(shortAddress(`0x${"ab".repeat(32)}`)).to.equal("0xabab…abab"); // a transaction hash
    expect(shortAddress("not an address")).to.equal("not an address");
  });
});
