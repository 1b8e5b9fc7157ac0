/**
 * Valuation reports anchored in batches (SPEC §5): an evaluator anchors one Merkle root over many reports — the
 * evaluator and the root together identify the batch, so another evaluator anchoring the same root makes a separate
 * batch — anyone later materialises a report with its Merkle path from its evaluator's batch, and the evaluator or the
 * registrar revokes a batch so that no more of its reports can be materialised. Proofs, forged ones, unknown roots,
 * reports naming another evaluator and root squatting are tested in ValuationRegistry.proofs.test.ts.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import { NO_CONSENT } from "../definitions/typedData";
import { ReportStatus, buildReportBatch } from "../definitions/valuationTypedData";
import { DAY, ValuationVerdict } from "./helpers/registryFixture";
import {
  NO_BATCH,
  anchoredBatch,
  batchFields,
  expectMaterialised,
  leafHashOf,
  reportsOf,
} from "./helpers/reportBatches";
import { deployValuationFixture, fileHash, signBatchAnchoring, signBatchRevocation } from "./helpers/valuationFixture";

/** A batch of three reports of the evaluator, anchored by the evaluator. */
async function deployAnchoredBatchFixture() {
  const f = await deployValuationFixture();
  const reports = reportsOf(f, 3, "revocable");
  return { f, reports, batch: await anchoredBatch(f, reports) };
}

describe("ValuationRegistry — batches of reports", () => {
  describe("anchoring a batch", () => {
    it("the same evaluator cannot anchor a root twice; another evaluator's batch under the same root is a separate batch", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, otherEvaluator, relayer } = f.signers;
      const batch = await anchoredBatch(f, reportsOf(f, 2, "once"));
      const again = await signBatchAnchoring(f.valuationRegistry, evaluator, batch.root, 2);
      for (const anchorAgain of [
        () => f.valuationRegistry.connect(evaluator).anchorBatch(batch.root, 2),
        () => f.valuationRegistry.connect(evaluator).anchorBatch(batch.root, 3),
        () => f.valuationRegistry.connect(relayer).anchorBatchSigned(batch.root, 2, evaluator, again),
      ]) {
        await expect(anchorAgain())
          .to.be.revertedWithCustomError(f.valuationRegistry, "BatchAlreadyAnchored")
          .withArgs(evaluator.address, batch.root);
      }
      expect(await f.valuationRegistry.isNonceUsed(evaluator.address, again.nonce)).to.equal(false);
      // The other evaluator's batch under the same root, with its own count, is its own; the first stays as it was.
      const consent = await signBatchAnchoring(f.valuationRegistry, otherEvaluator, batch.root, 5);
      await expect(f.valuationRegistry.connect(relayer).anchorBatchSigned(batch.root, 5, otherEvaluator, consent))
        .to.emit(f.valuationRegistry, "BatchAnchored")
        .withArgs(batch.root, otherEvaluator.address, 5n);
      const second = [BigInt(await time.latest()), 5n, false];
      await expect(f.valuationRegistry.connect(otherEvaluator).anchorBatch(batch.root, 5))
        .to.be.revertedWithCustomError(f.valuationRegistry, "BatchAlreadyAnchored")
        .withArgs(otherEvaluator.address, batch.root);
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 2n, false]);
      expect(await batchFields(f, otherEvaluator.address, batch.root)).to.deep.equal(second);
    });

    it("keeps batches of different evaluators side by side, each under its own root", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, otherEvaluator } = f.signers;
      const ownReports = reportsOf(f, 2, "first");
      const otherReports = reportsOf(f, 3, "second", otherEvaluator.address);
      const own = await anchoredBatch(f, ownReports);
      await time.increase(DAY);
      const other = await anchoredBatch(f, otherReports, otherEvaluator);
      expect(other.anchoredAt).to.be.greaterThan(own.anchoredAt);
      expect(await batchFields(f, evaluator.address, own.root)).to.deep.equal([own.anchoredAt, 2n, false]);
      expect(await batchFields(f, otherEvaluator.address, other.root)).to.deep.equal([other.anchoredAt, 3n, false]);
      // Each root is only its anchoring evaluator's batch.
      expect(await batchFields(f, otherEvaluator.address, own.root)).to.deep.equal(NO_BATCH);
      expect(await batchFields(f, evaluator.address, other.root)).to.deep.equal(NO_BATCH);
      await expectMaterialised(f, own, ownReports[1]);
      await expectMaterialised(f, other, otherReports[2]);
    });

    it("refuses an evaluator the registrar has not licensed, sending or signing", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { unlicensedEvaluator, relayer } = f.signers;
      const { root } = buildReportBatch(reportsOf(f, 2, "unlicensed", unlicensedEvaluator.address));
      await expect(f.valuationRegistry.connect(unlicensedEvaluator).anchorBatch(root, 2))
        .to.be.revertedWithCustomError(f.valuationRegistry, "EvaluatorNotLicensed")
        .withArgs(unlicensedEvaluator.address);
      const consent = await signBatchAnchoring(f.valuationRegistry, unlicensedEvaluator, root, 2);
      await expect(
        f.valuationRegistry.connect(relayer).anchorBatchSigned(root, 2, unlicensedEvaluator.address, consent),
      )
        .to.be.revertedWithCustomError(f.valuationRegistry, "EvaluatorNotLicensed")
        .withArgs(unlicensedEvaluator.address);
      expect(await batchFields(f, unlicensedEvaluator.address, root)).to.deep.equal(NO_BATCH);
    });

    it("refuses a zero root or an empty batch", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { root } = buildReportBatch(reportsOf(f, 2, "invalid"));
      const asEvaluator = f.valuationRegistry.connect(f.signers.evaluator);
      await expect(asEvaluator.anchorBatch(ZeroHash, 2)).to.be.revertedWithCustomError(asEvaluator, "BatchInvalid");
      await expect(asEvaluator.anchorBatch(root, 0)).to.be.revertedWithCustomError(asEvaluator, "BatchInvalid");
      const consent = await signBatchAnchoring(f.valuationRegistry, f.signers.evaluator, ZeroHash, 2);
      await expect(
        f.valuationRegistry.connect(f.signers.relayer).anchorBatchSigned(ZeroHash, 2, f.signers.evaluator, consent),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "BatchInvalid");
      for (const refused of [ZeroHash, root]) {
        expect(await batchFields(f, f.signers.evaluator.address, refused)).to.deep.equal(NO_BATCH);
      }
    });

    it("anchors a root a relayer submits with the evaluator's EIP-712 signature, as the evaluator's batch", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, relayer } = f.signers;
      const reports = reportsOf(f, 3, "relayed");
      const tree = buildReportBatch(reports);
      const consent = await signBatchAnchoring(f.valuationRegistry, evaluator, tree.root, 3);
      await expect(f.valuationRegistry.connect(relayer).anchorBatchSigned(tree.root, 3, evaluator.address, consent))
        .to.emit(f.valuationRegistry, "BatchAnchored")
        .withArgs(tree.root, evaluator.address, 3n);
      const anchoredAt = BigInt(await time.latest());
      expect(await batchFields(f, evaluator.address, tree.root)).to.deep.equal([anchoredAt, 3n, false]);
      expect(await batchFields(f, relayer.address, tree.root)).to.deep.equal(NO_BATCH);
      expect(await f.valuationRegistry.isNonceUsed(evaluator.address, consent.nonce)).to.equal(true);
      await expectMaterialised(f, { ...tree, evaluator: evaluator.address, anchoredAt }, reports[1]);
    });

    it("refuses a signature by someone else than the named evaluator, or over another root or count", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, otherEvaluator, relayer } = f.signers;
      const { root } = buildReportBatch(reportsOf(f, 3, "forged"));
      const asRelayer = f.valuationRegistry.connect(relayer);
      const byOther = await signBatchAnchoring(f.valuationRegistry, otherEvaluator, root, 3);
      await expect(asRelayer.anchorBatchSigned(root, 3, evaluator.address, byOther))
        .to.be.revertedWithCustomError(asRelayer, "SignatureInvalid")
        .withArgs(evaluator.address);
      const consent = await signBatchAnchoring(f.valuationRegistry, evaluator, root, 3);
      await expect(asRelayer.anchorBatchSigned(root, 4, evaluator.address, consent))
        .to.be.revertedWithCustomError(asRelayer, "SignatureInvalid")
        .withArgs(evaluator.address);
      await expect(asRelayer.anchorBatchSigned(fileHash("another root"), 3, evaluator.address, consent))
        .to.be.revertedWithCustomError(asRelayer, "SignatureInvalid")
        .withArgs(evaluator.address);
      for (const refused of [root, fileHash("another root")]) {
        expect(await batchFields(f, evaluator.address, refused)).to.deep.equal(NO_BATCH);
      }
    });

    it("refuses the same signature replayed", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, relayer } = f.signers;
      const { root } = buildReportBatch(reportsOf(f, 2, "replayed"));
      const consent = await signBatchAnchoring(f.valuationRegistry, evaluator, root, 2);
      await f.valuationRegistry.connect(relayer).anchorBatchSigned(root, 2, evaluator.address, consent);
      const anchoredAt = BigInt(await time.latest());
      await expect(f.valuationRegistry.connect(relayer).anchorBatchSigned(root, 2, evaluator.address, consent))
        .to.be.revertedWithCustomError(f.valuationRegistry, "NonceUsed")
        .withArgs(evaluator.address, consent.nonce);
      expect(await batchFields(f, evaluator.address, root)).to.deep.equal([anchoredAt, 2n, false]);
    });
  });

  describe("materialising a batched report", () => {
    it("lets anyone materialise a report of the batch: a relayer, a bank, an asset holder", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 3, "public");
      const batch = await anchoredBatch(f, reports);
      const { relayer, bank, alice } = f.signers;
      for (const [i, by] of [relayer, bank, alice].entries()) await expectMaterialised(f, batch, reports[i], by);
    });

    it("refuses the same report materialised twice, from the same batch or another", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 3, "twice");
      const first = await anchoredBatch(f, reports);
      const second = await anchoredBatch(f, [reports[1], ...reportsOf(f, 2, "twice again")]);
      await expectMaterialised(f, first, reports[1]);
      for (const batch of [first, second]) {
        const proof = batch.proofOf(reports[1].documentHash);
        expect(await f.valuationRegistry.verifyInBatch(batch.root, reports[1], proof)).to.equal(true);
        await expect(f.valuationRegistry.materialise(batch.root, reports[1], proof))
          .to.be.revertedWithCustomError(f.valuationRegistry, "ReportAlreadyAnchored")
          .withArgs(reports[1].documentHash);
      }
    });

    it("refuses a batched document already anchored singly, and a single anchoring of one materialised", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 3, "single and batched");
      await f.valuationRegistry.connect(f.signers.evaluator).anchor(reports[0]);
      const batch = await anchoredBatch(f, reports);
      await expect(f.valuationRegistry.materialise(batch.root, reports[0], batch.proofOf(reports[0].documentHash)))
        .to.be.revertedWithCustomError(f.valuationRegistry, "ReportAlreadyAnchored")
        .withArgs(reports[0].documentHash);
      await expectMaterialised(f, batch, reports[1]);
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchor(reports[1]))
        .to.be.revertedWithCustomError(f.valuationRegistry, "ReportAlreadyAnchored")
        .withArgs(reports[1].documentHash);
    });

    it("dates a report materialised later from its batch, and gives it a Valid verdict for its assets", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 3, "later");
      const batch = await anchoredBatch(f, reports);
      await time.increase(7n * DAY);
      await expectMaterialised(f, batch, reports[2]);
      expect(BigInt(await time.latest())).to.be.greaterThanOrEqual(batch.anchoredAt + 7n * DAY);
      const [record, batchRoot] = await f.valuationRegistry.reportOf(reports[2].documentHash);
      expect([record.anchoredAt, batchRoot]).to.deep.equal([batch.anchoredAt, batch.root]);
      expect(await f.valuationRegistry.verdictFor(reports[2].documentHash, reports[2].assetIds)).to.equal(
        ValuationVerdict.Valid,
      );
      expect(await f.valuationRegistry.verdictFor(reports[0].documentHash, reports[0].assetIds)).to.equal(
        ValuationVerdict.Unknown,
      );
    });

    it("refuses a report valued after its batch was anchored, however late it is materialised", async () => {
      const f = await loadFixture(deployValuationFixture);
      const postdated = f.reportFor({
        documentHash: fileHash("postdated"),
        valuationDate: f.now + 10n * DAY,
        validUntil: f.now + 100n * DAY,
      });
      const batch = await anchoredBatch(f, [postdated, ...reportsOf(f, 2, "dated")]);
      await time.increase(20n * DAY);
      await expect(f.valuationRegistry.materialise(batch.root, postdated, batch.proofOf(postdated.documentHash)))
        .to.be.revertedWithCustomError(f.valuationRegistry, "ReportInvalid")
        .withArgs(postdated.documentHash);
    });

    it("stops materialising and anchoring batches while the registry is paused", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 2, "paused");
      const batch = await anchoredBatch(f, reports);
      const { root } = buildReportBatch(reportsOf(f, 2, "paused later"));
      await f.valuationRegistry.connect(f.signers.admin).pause();
      await expect(
        f.valuationRegistry.materialise(batch.root, reports[0], batch.proofOf(reports[0].documentHash)),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "EnforcedPause");
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(root, 2)).to.be.revertedWithCustomError(
        f.valuationRegistry,
        "EnforcedPause",
      );
    });
  });

  describe("revoking a batch", () => {
    it("lets the evaluator revoke its batch by sending the transaction, with a reason", async () => {
      const { f, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator } = f.signers;
      await expect(f.valuationRegistry.connect(evaluator).revokeBatch(evaluator, batch.root, "wrong rate", NO_CONSENT))
        .to.emit(f.valuationRegistry, "BatchRevoked")
        .withArgs(batch.root, evaluator.address, evaluator.address, "wrong rate");
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 3n, true]);
    });

    it("accepts the evaluator's signed revocation relayed by anyone, and uses its nonce", async () => {
      const { f, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator, alice } = f.signers;
      const consent = await signBatchRevocation(f.valuationRegistry, evaluator, batch.root, "withdrawn");
      await expect(f.valuationRegistry.connect(alice).revokeBatch(evaluator, batch.root, "withdrawn", consent))
        .to.emit(f.valuationRegistry, "BatchRevoked")
        .withArgs(batch.root, evaluator.address, evaluator.address, "withdrawn");
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 3n, true]);
      expect(await f.valuationRegistry.isNonceUsed(evaluator.address, consent.nonce)).to.equal(true);
    });

    it("refuses a revocation without the batch's evaluator: another signer, sender, root or reason", async () => {
      const { f, reports, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator, otherEvaluator, relayer } = f.signers;
      const other = await anchoredBatch(f, reportsOf(f, 2, "another batch"));
      const refusals = [
        [relayer, await signBatchRevocation(f.valuationRegistry, otherEvaluator, batch.root, "withdrawn")],
        [relayer, await signBatchRevocation(f.valuationRegistry, evaluator, other.root, "withdrawn")],
        [relayer, await signBatchRevocation(f.valuationRegistry, evaluator, batch.root, "a typo")],
        [otherEvaluator, NO_CONSENT],
        [f.signers.registrar, NO_CONSENT],
      ] as const;
      for (const [by, consent] of refusals) {
        await expect(f.valuationRegistry.connect(by).revokeBatch(evaluator, batch.root, "withdrawn", consent))
          .to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid")
          .withArgs(evaluator.address);
      }
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 3n, false]);
      await expectMaterialised(f, batch, reports[0]);
    });

    it("lets the registrar revoke any evaluator's batch", async () => {
      const { f, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator, registrar } = f.signers;
      await expect(f.valuationRegistry.connect(registrar).revokeBatchAsRegistrar(evaluator, batch.root, "licence lost"))
        .to.emit(f.valuationRegistry, "BatchRevoked")
        .withArgs(batch.root, evaluator.address, registrar.address, "licence lost");
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 3n, true]);
    });

    it("refuses a registrar's revocation from anyone else, the batch's evaluator included", async () => {
      const { f, reports, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator, bank, relayer, admin } = f.signers;
      for (const outsider of [evaluator, bank, relayer, admin]) {
        await expect(
          f.valuationRegistry.connect(outsider).revokeBatchAsRegistrar(evaluator, batch.root, "licence lost"),
        )
          .to.be.revertedWithCustomError(f.valuationRegistry, "AccessManagedUnauthorized")
          .withArgs(outsider.address);
      }
      expect((await f.valuationRegistry.batchOf(evaluator, batch.root)).revoked).to.equal(false);
      await expectMaterialised(f, batch, reports[0]);
    });

    it("refuses to materialise any report of a revoked batch, though its proofs still verify", async () => {
      const { f, reports, batch } = await loadFixture(deployAnchoredBatchFixture);
      const untouched = await anchoredBatch(f, reportsOf(f, 2, "untouched"));
      const { evaluator } = f.signers;
      await f.valuationRegistry.connect(evaluator).revokeBatch(evaluator, batch.root, "withdrawn", NO_CONSENT);
      for (const report of reports) {
        const proof = batch.proofOf(report.documentHash);
        expect(await f.valuationRegistry.verifyInBatch(batch.root, report, proof)).to.equal(true);
        await expect(f.valuationRegistry.connect(f.signers.relayer).materialise(batch.root, report, proof))
          .to.be.revertedWithCustomError(f.valuationRegistry, "BatchRevokedAlready")
          .withArgs(evaluator.address, batch.root);
        expect((await f.valuationRegistry.reportOf(report.documentHash))[0].status).to.equal(ReportStatus.None);
        expect(await f.valuationRegistry.verdictFor(report.documentHash, report.assetIds)).to.equal(
          ValuationVerdict.Unknown,
        );
      }
      // The evaluator's other batches are not touched.
      await expectMaterialised(f, untouched, reportsOf(f, 2, "untouched")[1]);
    });

    it("leaves a report materialised before the revocation Valid, to be revoked on its own", async () => {
      const { f, reports, batch } = await loadFixture(deployAnchoredBatchFixture);
      const [early] = reports;
      await expectMaterialised(f, batch, early);
      await f.valuationRegistry
        .connect(f.signers.registrar)
        .revokeBatchAsRegistrar(batch.evaluator, batch.root, "licence withdrawn");
      const [record, batchRoot] = await f.valuationRegistry.reportOf(early.documentHash);
      expect([record.status, record.anchoredAt, batchRoot]).to.deep.equal([
        BigInt(ReportStatus.Anchored),
        batch.anchoredAt,
        batch.root,
      ]);
      expect(await f.valuationRegistry.verdictFor(early.documentHash, early.assetIds)).to.equal(ValuationVerdict.Valid);
      await expect(
        f.valuationRegistry.connect(f.signers.registrar).revokeAsRegistrar(early.documentHash, "licence withdrawn"),
      )
        .to.emit(f.valuationRegistry, "ReportRevoked")
        .withArgs(early.documentHash, f.signers.registrar.address, "licence withdrawn");
      expect(await f.valuationRegistry.verdictFor(early.documentHash, early.assetIds)).to.equal(
        ValuationVerdict.Revoked,
      );
    });

    it("refuses to revoke a batch twice, by either way, and its evaluator to anchor its root again", async () => {
      const { f, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator, registrar, relayer } = f.signers;
      await f.valuationRegistry.connect(evaluator).revokeBatch(evaluator, batch.root, "once", NO_CONSENT);
      const consent = await signBatchRevocation(f.valuationRegistry, evaluator, batch.root, "twice");
      for (const again of [
        () => f.valuationRegistry.connect(evaluator).revokeBatch(evaluator, batch.root, "twice", NO_CONSENT),
        () => f.valuationRegistry.connect(relayer).revokeBatch(evaluator, batch.root, "twice", consent),
        () => f.valuationRegistry.connect(registrar).revokeBatchAsRegistrar(evaluator, batch.root, "twice"),
      ]) {
        await expect(again())
          .to.be.revertedWithCustomError(f.valuationRegistry, "BatchRevokedAlready")
          .withArgs(evaluator.address, batch.root);
      }
      expect(await f.valuationRegistry.isNonceUsed(evaluator.address, consent.nonce)).to.equal(false);
      await expect(f.valuationRegistry.connect(evaluator).anchorBatch(batch.root, 3))
        .to.be.revertedWithCustomError(f.valuationRegistry, "BatchAlreadyAnchored")
        .withArgs(evaluator.address, batch.root);
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 3n, true]);
    });

    it("refuses to revoke a batch the named evaluator never anchored, the root anchored by another one included", async () => {
      const { f, reports, batch } = await loadFixture(deployAnchoredBatchFixture);
      const { evaluator, otherEvaluator, registrar } = f.signers;
      const unknownRoots = [ZeroHash, leafHashOf(reports[0]), buildReportBatch(reports.slice(1)).root];
      for (const [firm, unknown] of [
        ...unknownRoots.map((root) => [evaluator, root] as const),
        [otherEvaluator, batch.root] as const,
      ]) {
        await expect(f.valuationRegistry.connect(firm).revokeBatch(firm, unknown, "x", NO_CONSENT))
          .to.be.revertedWithCustomError(f.valuationRegistry, "BatchNotFound")
          .withArgs(firm.address, unknown);
        await expect(f.valuationRegistry.connect(registrar).revokeBatchAsRegistrar(firm, unknown, "x"))
          .to.be.revertedWithCustomError(f.valuationRegistry, "BatchNotFound")
          .withArgs(firm.address, unknown);
        expect(await batchFields(f, firm.address, unknown)).to.deep.equal(NO_BATCH);
      }
      expect(await batchFields(f, evaluator.address, batch.root)).to.deep.equal([batch.anchoredAt, 3n, false]);
    });

    it("stops revoking batches while the registry is paused", async () => {
      const { f, batch } = await loadFixture(deployAnchoredBatchFixture);
      await f.valuationRegistry.connect(f.signers.admin).pause();
      await expect(
        f.valuationRegistry.connect(f.signers.evaluator).revokeBatch(batch.evaluator, batch.root, "x", NO_CONSENT),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "EnforcedPause");
      await expect(
        f.valuationRegistry.connect(f.signers.registrar).revokeBatchAsRegistrar(batch.evaluator, batch.root, "x"),
      ).to.be.revertedWithCustomError(f.valuationRegistry, "EnforcedPause");
      expect((await f.valuationRegistry.batchOf(batch.evaluator, batch.root)).revoked).to.equal(false);
    });
  });
});
