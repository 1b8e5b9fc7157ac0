/**
 * Valuation reports anchored singly (SPEC §5): sent by the evaluator or relayed with its signature; looked up by the
 * SHA-256 of the file; revoked; superseded; and the verdict the pledge registry relies on.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import { Roles } from "../definitions/roles";
import { NO_CONSENT } from "../definitions/typedData";
import { domainOf } from "../definitions/domains";
import { ReportStatus, reportAnchoringTypes, reportStructHash } from "../definitions/valuationTypedData";
import { ValuationVerdict } from "./helpers/registryFixture";
import {
  deployValuationFixture,
  fileHash,
  signReportAnchoring,
  signRevocation,
  type ValuationFixture,
} from "./helpers/valuationFixture";

const anchored = async (f: ValuationFixture, overrides: Parameters<ValuationFixture["reportFor"]>[0] = {}) => {
  const report = f.reportFor(overrides);
  await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
  return report;
};

describe("ValuationRegistry — anchoring a report", () => {
  describe("sent by the evaluator", () => {
    it("records who anchored which document when, and emits every field of the report", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor({ uri: "ipfs://valuation-2026-001.pdf" });
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(report))
        .to.emit(f.valuationRegistry, "ReportAnchored")
        .withArgs(
          report.documentHash,
          f.signers.evaluator.address,
          0n,
          (r: { value: bigint; uri: string }) => r.value === report.value && r.uri === report.uri,
        );
      const [record, batchRoot, supersededBy] = await f.valuationRegistry.reportOf(report.documentHash);
      expect(record.evaluator).to.equal(f.signers.evaluator.address);
      expect(record.status).to.equal(ReportStatus.Anchored);
      expect(record.assetCount).to.equal(1n);
      expect(record.validUntil).to.equal(report.validUntil);
      expect(record.anchoredAt).to.equal(BigInt(await time.latest()));
      expect([batchRoot, supersededBy]).to.deep.equal([ZeroHash, ZeroHash]);
      expect(await f.valuationRegistry.covers(report.documentHash, f.assets.patentA)).to.equal(true);
      expect(await f.valuationRegistry.covers(report.documentHash, f.assets.patentB)).to.equal(false);
    });

    it("finds a report by hashing the file, and nothing for a file never anchored", async () => {
      const f = await loadFixture(deployValuationFixture);
      await anchored(f, { documentHash: fileHash("%PDF-1.7 report bytes") });
      const [found] = await f.valuationRegistry.reportOf(fileHash("%PDF-1.7 report bytes"));
      const [missing] = await f.valuationRegistry.reportOf(fileHash("%PDF-1.7 another file"));
      expect(found.status).to.equal(ReportStatus.Anchored);
      expect(missing.status).to.equal(ReportStatus.None);
    });

    it("refuses the same document anchored twice", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor({ ...report, value: 1n }))
        .to.be.revertedWithCustomError(f.valuationRegistry, "ReportAlreadyAnchored")
        .withArgs(report.documentHash);
    });

    it("refuses an evaluator the registrar has not licensed, or whose licence it withdrew", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor({ evaluator: f.signers.unlicensedEvaluator.address });
      await expect(f.valuationRegistry.connect(f.signers.unlicensedEvaluator).anchor(report))
        .to.be.revertedWithCustomError(f.valuationRegistry, "EvaluatorNotLicensed")
        .withArgs(f.signers.unlicensedEvaluator.address);
      await f.accessManager.connect(f.signers.registrar).revokeRole(Roles.EVALUATOR, f.signers.evaluator.address);
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(f.reportFor()))
        .to.be.revertedWithCustomError(f.valuationRegistry, "EvaluatorNotLicensed")
        .withArgs(f.signers.evaluator.address);
    });

    it("refuses a report that names another evaluator than the sender", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor({ evaluator: f.signers.otherEvaluator.address });
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(report))
        .to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid")
        .withArgs(f.signers.otherEvaluator.address);
    });

    const INVALID: [string, (f: ValuationFixture) => Parameters<ValuationFixture["reportFor"]>[0]][] = [
      ["a zero document hash", () => ({ documentHash: ZeroHash })],
      ["a zero value", () => ({ value: 0n })],
      ["no assets", () => ({ assetIds: [] })],
      ["an asset listed twice", (f) => ({ assetIds: [f.assets.patentA, f.assets.patentB, f.assets.patentA] })],
      ["a validity ending before the valuation date", (f) => ({ valuationDate: f.now, validUntil: f.now - 1n })],
      ["a valuation date in the future", (f) => ({ valuationDate: f.now + 86_400n, validUntil: f.now + 2n * 86_400n })],
    ];
    for (const [what, overrides] of INVALID) {
      it(`refuses a report with ${what}`, async () => {
        const f = await loadFixture(deployValuationFixture);
        const report = f.reportFor(overrides(f));
        await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(report))
          .to.be.revertedWithCustomError(f.valuationRegistry, "ReportInvalid")
          .withArgs(report.documentHash);
      });
    }
  });

  describe("relayed with the evaluator's signature", () => {
    it("anchors a report a relayer submits with the evaluator's EIP-712 signature", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor();
      const consent = await signReportAnchoring(f.valuationRegistry, f.signers.evaluator, report);
      await expect(f.valuationRegistry.connect(f.signers.relayer).anchorSigned(report, consent))
        .to.emit(f.valuationRegistry, "ReportAnchored")
        .withArgs(report.documentHash, f.signers.evaluator.address, 0n, (r: unknown) => r !== undefined);
    });

    it("computes the same report hash and digest as the gateway's typed data", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor({ assetIds: [f.assets.patentA, f.assets.patentB], uri: "https://office.example/r/1" });
      expect(await f.valuationRegistry.reportHash(report)).to.equal(reportStructHash(report));
      // A signature built from the TypeScript types is accepted, so the two digests agree.
      const { chainId } = await ethers.provider.getNetwork();
      const signature = await f.signers.evaluator.signTypedData(
        domainOf("valuationRegistry", chainId, await f.valuationRegistry.getAddress()),
        reportAnchoringTypes,
        { report, signer: f.signers.evaluator.address, nonce: 7n, deadline: 2n ** 40n },
      );
      await expect(f.valuationRegistry.anchorSigned(report, { nonce: 7n, deadline: 2n ** 40n, signature })).to.emit(
        f.valuationRegistry,
        "ReportAnchored",
      );
    });

    it("refuses a signature by someone else than the report's evaluator", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor();
      const forged = await signReportAnchoring(f.valuationRegistry, f.signers.otherEvaluator, report);
      await expect(f.valuationRegistry.anchorSigned(report, forged))
        .to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid")
        .withArgs(f.signers.evaluator.address);
    });

    it("refuses a signature over other fields than those submitted", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor();
      const consent = await signReportAnchoring(f.valuationRegistry, f.signers.evaluator, report);
      await expect(
        f.valuationRegistry.anchorSigned({ ...report, value: report.value * 2n }, consent),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid");
    });

    it("refuses a replayed signature and one past its deadline", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = f.reportFor();
      const consent = await signReportAnchoring(f.valuationRegistry, f.signers.evaluator, report);
      await f.valuationRegistry.anchorSigned(report, consent);
      await expect(f.valuationRegistry.anchorSigned(report, consent))
        .to.be.revertedWithCustomError(f.valuationRegistry, "NonceUsed")
        .withArgs(f.signers.evaluator.address, consent.nonce);

      const later = f.reportFor({ documentHash: fileHash("second report") });
      const deadline = BigInt(await time.latest()) + 10n;
      const expiring = await signReportAnchoring(f.valuationRegistry, f.signers.evaluator, later, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(f.valuationRegistry.anchorSigned(later, expiring))
        .to.be.revertedWithCustomError(f.valuationRegistry, "DeadlinePassed")
        .withArgs(f.signers.evaluator.address, deadline);
    });
  });

  describe("revocation", () => {
    it("lets the evaluator revoke its report with a reason", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      await expect(
        f.valuationRegistry
          .connect(f.signers.evaluator)
          .revoke(report.documentHash, "comparable sales misread", NO_CONSENT),
      )
        .to.emit(f.valuationRegistry, "ReportRevoked")
        .withArgs(report.documentHash, f.signers.evaluator.address, "comparable sales misread");
      expect((await f.valuationRegistry.reportOf(report.documentHash))[0].status).to.equal(ReportStatus.Revoked);
      expect(await f.valuationRegistry.verdictFor(report.documentHash, [f.assets.patentA])).to.equal(
        ValuationVerdict.Revoked,
      );
    });

    it("accepts the evaluator's signed revocation from a relayer", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      const consent = await signRevocation(f.valuationRegistry, f.signers.evaluator, report.documentHash, "withdrawn");
      await expect(f.valuationRegistry.connect(f.signers.relayer).revoke(report.documentHash, "withdrawn", consent))
        .to.emit(f.valuationRegistry, "ReportRevoked")
        .withArgs(report.documentHash, f.signers.evaluator.address, "withdrawn");
    });

    it("refuses a revocation signed for another reason or by someone else", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      const consent = await signRevocation(f.valuationRegistry, f.signers.evaluator, report.documentHash, "typo");
      await expect(f.valuationRegistry.revoke(report.documentHash, "fraud", consent))
        .to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid")
        .withArgs(f.signers.evaluator.address);
      await expect(f.valuationRegistry.connect(f.signers.otherEvaluator).revoke(report.documentHash, "x", NO_CONSENT))
        .to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid")
        .withArgs(f.signers.evaluator.address);
    });

    it("lets the registrar revoke any report, and no one else without the evaluator", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      await expect(f.valuationRegistry.connect(f.signers.bank).revokeAsRegistrar(report.documentHash, "x"))
        .to.be.revertedWithCustomError(f.valuationRegistry, "AccessManagedUnauthorized")
        .withArgs(f.signers.bank.address);
      await expect(
        f.valuationRegistry.connect(f.signers.registrar).revokeAsRegistrar(report.documentHash, "licence withdrawn"),
      )
        .to.emit(f.valuationRegistry, "ReportRevoked")
        .withArgs(report.documentHash, f.signers.registrar.address, "licence withdrawn");
    });

    it("cannot revoke a report twice or one never anchored", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      await f.valuationRegistry.connect(f.signers.evaluator).revoke(report.documentHash, "once", NO_CONSENT);
      await expect(f.valuationRegistry.connect(f.signers.evaluator).revoke(report.documentHash, "twice", NO_CONSENT))
        .to.be.revertedWithCustomError(f.valuationRegistry, "ReportNotCurrent")
        .withArgs(report.documentHash);
      await expect(f.valuationRegistry.connect(f.signers.registrar).revokeAsRegistrar(fileHash("never"), "x"))
        .to.be.revertedWithCustomError(f.valuationRegistry, "ReportNotAnchored")
        .withArgs(fileHash("never"));
    });
  });

  describe("supersession", () => {
    it("replaces an older report by a newer one of the same evaluator for the same assets", async () => {
      const f = await loadFixture(deployValuationFixture);
      const older = await anchored(f);
      const newer = f.reportFor({
        documentHash: fileHash("update"),
        assetIds: [f.assets.patentB, f.assets.patentA],
        supersedes: older.documentHash,
      });
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(newer))
        .to.emit(f.valuationRegistry, "ReportSuperseded")
        .withArgs(older.documentHash, newer.documentHash);
      const [record, , supersededBy] = await f.valuationRegistry.reportOf(older.documentHash);
      expect(record.status).to.equal(ReportStatus.Superseded);
      expect(supersededBy).to.equal(newer.documentHash);
      expect(await f.valuationRegistry.verdictFor(older.documentHash, [f.assets.patentA])).to.equal(
        ValuationVerdict.Superseded,
      );
      expect(await f.valuationRegistry.verdictFor(newer.documentHash, [f.assets.patentA])).to.equal(
        ValuationVerdict.Valid,
      );
    });

    it("renews an expired report", async () => {
      const f = await loadFixture(deployValuationFixture);
      const older = await anchored(f, { validUntil: f.now + 100n });
      await time.increaseTo(f.now + 200n);
      const newer = f.reportFor({
        documentHash: fileHash("renewal"),
        valuationDate: f.now + 150n,
        validUntil: f.now + 1000n,
        supersedes: older.documentHash,
      });
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(newer)).to.emit(
        f.valuationRegistry,
        "ReportSuperseded",
      );
    });

    it("refuses a newer report that leaves out an asset of the older", async () => {
      const f = await loadFixture(deployValuationFixture);
      const older = await anchored(f, { assetIds: [f.assets.patentA, f.assets.patentB] });
      const newer = f.reportFor({
        documentHash: fileHash("partial"),
        assetIds: [f.assets.patentA],
        supersedes: older.documentHash,
      });
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(newer))
        .to.be.revertedWithCustomError(f.valuationRegistry, "SupersessionInvalid")
        .withArgs(newer.documentHash, older.documentHash);
    });

    it("refuses to supersede another evaluator's report, a revoked one, or one never anchored", async () => {
      const f = await loadFixture(deployValuationFixture);
      const older = await anchored(f);
      const byOther = f.reportFor({
        documentHash: fileHash("other firm"),
        evaluator: f.signers.otherEvaluator.address,
        supersedes: older.documentHash,
      });
      await expect(f.valuationRegistry.connect(f.signers.otherEvaluator).anchor(byOther)).to.be.revertedWithCustomError(
        f.valuationRegistry,
        "SupersessionInvalid",
      );
      await f.valuationRegistry.connect(f.signers.evaluator).revoke(older.documentHash, "withdrawn", NO_CONSENT);
      const afterRevocation = f.reportFor({ documentHash: fileHash("after"), supersedes: older.documentHash });
      await expect(
        f.valuationRegistry.connect(f.signers.evaluator).anchor(afterRevocation),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "SupersessionInvalid");
      const ofNothing = f.reportFor({ documentHash: fileHash("orphan"), supersedes: fileHash("never anchored") });
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(ofNothing)).to.be.revertedWithCustomError(
        f.valuationRegistry,
        "SupersessionInvalid",
      );
    });
  });

  describe("the verdict the pledge registry relies on", () => {
    it("is Unknown for a document never anchored", async () => {
      const f = await loadFixture(deployValuationFixture);
      expect(await f.valuationRegistry.verdictFor(fileHash("nothing"), [f.assets.patentA])).to.equal(
        ValuationVerdict.Unknown,
      );
    });

    it("is Valid up to and including the last second of validity, then Expired", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f, { validUntil: f.now + 1_000n });
      await time.increaseTo(f.now + 1_000n);
      expect(await f.valuationRegistry.verdictFor(report.documentHash, [f.assets.patentA])).to.equal(
        ValuationVerdict.Valid,
      );
      await time.increaseTo(f.now + 1_001n);
      expect(await f.valuationRegistry.verdictFor(report.documentHash, [f.assets.patentA])).to.equal(
        ValuationVerdict.Expired,
      );
    });

    it("is AssetNotCovered when any asset asked about is not valued by the report", async () => {
      const f = await loadFixture(deployValuationFixture);
      const report = await anchored(f);
      expect(await f.valuationRegistry.verdictFor(report.documentHash, [f.assets.patentA, f.assets.patentB])).to.equal(
        ValuationVerdict.AssetNotCovered,
      );
    });
  });

  describe("pause", () => {
    it("stops anchoring while the admin has paused the registry", async () => {
      const f = await loadFixture(deployValuationFixture);
      await f.valuationRegistry.connect(f.signers.admin).pause();
      await expect(
        f.valuationRegistry.connect(f.signers.evaluator).anchor(f.reportFor()),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "EnforcedPause");
    });
  });
});
