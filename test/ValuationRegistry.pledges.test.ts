/**
 * The pledge rule VALUATION_INVALID against the real valuation registry: a pledge application referencing a valid,
 * revoked, superseded, expired or partial report, or a batched one; and a registered pledge outliving its report.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import { NO_CONSENT, type PledgeTerms } from "../definitions/typedData";
import { buildReportBatch } from "../definitions/valuationTypedData";
import { CNY, DEBTOR, PledgeStatus, ValuationVerdict, YEAR, docHash } from "./helpers/registryFixture";
import { signApplication } from "./helpers/pledging";
import { deployValuationFixture, fileHash, type ValuationFixture } from "./helpers/valuationFixture";

function pledgeTerms(f: ValuationFixture, reportId: string, assetIds = [f.assets.patentA]): PledgeTerms {
  return {
    assetIds,
    pledgors: [f.signers.alice.address],
    pledgee: f.signers.bank.address,
    debt: {
      debtor: DEBTOR,
      principal: cny(10_000_000),
      currency: CNY,
      startDate: f.now,
      maturityDate: f.now + YEAR / 2n,
    },
    contractHash: docHash("pledge contract"),
    valuationReportId: reportId,
    riskScheme: 0,
    forfeitureClause: false,
    invalidationAcknowledged: false,
  };
}

async function submit(f: ValuationFixture, terms: PledgeTerms) {
  const alice = await signApplication(f.pledgeRegistry, f.signers.alice, terms);
  const bank = await signApplication(f.pledgeRegistry, f.signers.bank, terms);
  return f.pledgeRegistry.connect(f.signers.relayer).submitApplication(terms, [alice], bank);
}

describe("ValuationRegistry — the reports pledges rely on", () => {
  it("accepts a pledge on a valid report", async () => {
    const f = await loadFixture(deployValuationFixture);
    const report = f.reportFor();
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
    await expect(submit(f, pledgeTerms(f, report.documentHash))).to.emit(f.pledgeRegistry, "PledgeApplied");
  });

  it("refuses a pledge on a revoked report", async () => {
    const f = await loadFixture(deployValuationFixture);
    const report = f.reportFor();
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
    await f.valuationRegistry.connect(f.signers.evaluator).revoke(report.documentHash, "error in method", NO_CONSENT);
    await expect(submit(f, pledgeTerms(f, report.documentHash)))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
      .withArgs(report.documentHash, ValuationVerdict.Revoked);
  });

  it("refuses a pledge on a superseded report, and accepts it on the newer one", async () => {
    const f = await loadFixture(deployValuationFixture);
    const older = f.reportFor();
    const newer = f.reportFor({ documentHash: fileHash("revaluation"), supersedes: older.documentHash });
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(older);
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(newer);
    await expect(submit(f, pledgeTerms(f, older.documentHash)))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
      .withArgs(older.documentHash, ValuationVerdict.Superseded);
    await expect(submit(f, pledgeTerms(f, newer.documentHash))).to.emit(f.pledgeRegistry, "PledgeApplied");
  });

  it("refuses a pledge on an expired report", async () => {
    const f = await loadFixture(deployValuationFixture);
    const report = f.reportFor({ validUntil: f.now + 60n });
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
    await time.increaseTo(f.now + 61n);
    await expect(submit(f, pledgeTerms(f, report.documentHash)))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
      .withArgs(report.documentHash, ValuationVerdict.Expired);
  });

  it("refuses a pledge of two assets on a report that values only one", async () => {
    const f = await loadFixture(deployValuationFixture);
    const report = f.reportFor();
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
    await expect(submit(f, pledgeTerms(f, report.documentHash, [f.assets.patentA, f.assets.patentB])))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
      .withArgs(report.documentHash, ValuationVerdict.AssetNotCovered);
  });

  it("refuses a pledge on a batched report until it is materialised, then accepts it", async () => {
    const f = await loadFixture(deployValuationFixture);
    const reports = [0, 1, 2].map((i) =>
      f.reportFor({ documentHash: fileHash(`batched report ${i}`), assetIds: [f.assets.patentA, f.assets.patentB] }),
    );
    const batch = buildReportBatch(reports);
    await f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(batch.root, reports.length);
    const terms = pledgeTerms(f, reports[1].documentHash);
    await expect(submit(f, terms))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
      .withArgs(reports[1].documentHash, ValuationVerdict.Unknown);
    await f.valuationRegistry
      .connect(f.signers.bank)
      .materialise(batch.root, reports[1], batch.proofOf(reports[1].documentHash));
    await expect(submit(f, terms)).to.emit(f.pledgeRegistry, "PledgeApplied");
  });

  it("keeps a registered pledge when its report is revoked, and the bank sees the report's new state", async () => {
    const f = await loadFixture(deployValuationFixture);
    const report = f.reportFor();
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
    await submit(f, pledgeTerms(f, report.documentHash));
    await f.pledgeRegistry.connect(f.signers.registrar).register(1n);
    await f.valuationRegistry.connect(f.signers.registrar).revokeAsRegistrar(report.documentHash, "evaluator delisted");
    const status = await f.pledgeRegistry.collateralStatusOf(f.assets.patentA);
    expect(status.status).to.equal(PledgeStatus.Registered);
    expect(status.valuationReportId).to.equal(report.documentHash);
    expect(status.valuationVerdict).to.equal(ValuationVerdict.Revoked);
  });
});
