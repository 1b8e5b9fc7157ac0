/**
 * The desk's rules on crafted inputs: which changes to a bank's collateral raise which watchlist flag and since when,
 * the office's one-working-day countdown, and short addresses.
 */
import { expect } from "chai";
import {
  decisionDueBy,
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

  it("writes an address as its first six and last four characters; anything else as it is", () => {
    expect(shortAddress("0x1234567890abcdef1234567890abcdef12345678")).to.equal("0x1234…5678");
    expect(shortAddress(`0x${"ab".repeat(32)}`)).to.equal("0xabab…abab"); // a transaction hash
    expect(shortAddress("not an address")).to.equal("not an address");
  });
});
