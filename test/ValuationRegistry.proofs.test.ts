/**
 * Merkle proofs of batched valuation reports (SPEC §5): the registry hashes a report as the gateway does, proves
 * every report of batches of 1, 2, 3 and 1000 reports with its own path, and refuses every forged proof — a byte
 * flipped, an element dropped or added, another report's path, another batch's path, a root nobody anchored, a
 * tampered report, a report naming an evaluator who has no batch under the root (or whose batch under the same root
 * holds no such leaf), an inner node passed off as a report. A batch is identified by its evaluator and its root; a
 * report is looked up in its own evaluator's batch, so an evaluator whose root another anchored first ("root
 * squatting") still anchors and uses it. Roots, leaves, inner nodes and proofs are computed in the test, never read
 * back from the registry.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, concat, getBytes, hexlify, keccak256 } from "ethers";
import fc from "fast-check";
import { NO_CONSENT } from "../definitions/typedData";
import {
  ReportStatus,
  buildReportBatch,
  reportStructHash,
  type ValuationReport,
} from "../definitions/valuationTypedData";
import { DAY } from "./helpers/registryFixture";
import {
  NO_BATCH,
  anchoredBatch,
  batchFields,
  expectMaterialised,
  expectNoBatch,
  expectNotInBatch,
  hashPair,
  leafHashOf,
  reportsOf,
  rootFrom,
  thousandReportsFixture,
} from "./helpers/reportBatches";
import {
  deployValuationFixture,
  fileHash,
  signBatchRevocation,
  type ValuationFixture,
} from "./helpers/valuationFixture";

const flipByte = (word: string, at: number) => {
  const bytes = getBytes(word).slice();
  bytes[at] ^= 0xff;
  return hexlify(bytes);
};

describe("ValuationRegistry — Merkle proofs of batched reports", () => {
  describe("agreement with the gateway's hashing", () => {
    it("hashes a report to the gateway's EIP-712 struct hash and to the StandardMerkleTree leaf", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = [
        f.reportFor(),
        ...reportsOf(f, 4, "agreement"),
        f.reportFor({ documentHash: fileHash("renewal"), supersedes: fileHash("older"), uri: "https://x.example/r" }),
      ];
      const { tree } = buildReportBatch(reports);
      for (const report of reports) {
        const structHash = reportStructHash(report);
        expect(await f.valuationRegistry.reportHash(report)).to.equal(structHash);
        expect(await f.valuationRegistry.leafOf(report)).to.equal(leafHashOf(report));
        expect(await f.valuationRegistry.leafOf(report)).to.equal(tree.leafHash([structHash]));
      }
    });
  });

  for (const size of [1, 2, 3]) {
    describe(`a batch of ${size} report${size === 1 ? "" : "s"}`, () => {
      it("anchors the root as the sending evaluator's batch, with its time and report count", async () => {
        const f = await loadFixture(deployValuationFixture);
        const reports = reportsOf(f, size, `batch of ${size}`);
        const { root } = buildReportBatch(reports);
        // A single leaf is its own root; two leaves hash to their sorted pair.
        if (size === 1) expect(root).to.equal(leafHashOf(reports[0]));
        if (size === 2) expect(root).to.equal(hashPair(leafHashOf(reports[0]), leafHashOf(reports[1])));
        await expect(f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(root, size))
          .to.emit(f.valuationRegistry, "BatchAnchored")
          .withArgs(root, f.signers.evaluator.address, BigInt(size));
        expect(await batchFields(f, f.signers.evaluator.address, root)).to.deep.equal([
          BigInt(await time.latest()),
          BigInt(size),
          false,
        ]);
        // The batch is the evaluator's alone: no other evaluator has one under this root.
        expect(await batchFields(f, f.signers.otherEvaluator.address, root)).to.deep.equal(NO_BATCH);
      });

      it("proves every report with its own path, and materialises each", async () => {
        const f = await loadFixture(deployValuationFixture);
        const reports = reportsOf(f, size, `batch of ${size}`);
        const batch = await anchoredBatch(f, reports);
        for (const report of reports) {
          // Until materialised, the register knows nothing of a batched report.
          expect((await f.valuationRegistry.reportOf(report.documentHash))[0].status).to.equal(ReportStatus.None);
          await expectMaterialised(f, batch, report);
        }
      });
    });
  }

  describe("a batch of 1000 reports", () => {
    it("anchors the root of a thousand reports in one transaction", async () => {
      const f = await loadFixture(thousandReportsFixture);
      await expect(f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(f.tree.root, 1000))
        .to.emit(f.valuationRegistry, "BatchAnchored")
        .withArgs(f.tree.root, f.signers.evaluator.address, 1000n);
      expect(await batchFields(f, f.signers.evaluator.address, f.tree.root)).to.deep.equal([
        BigInt(await time.latest()),
        1000n,
        false,
      ]);
    });

    it("proves any report with its own path of 9 or 10 hashes, and no report with another's", async () => {
      const f = await loadFixture(thousandReportsFixture);
      await f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(f.tree.root, 1000);
      const index = fc.integer({ min: 0, max: 999 });
      await fc.assert(
        fc.asyncProperty(index, index, async (i, j) => {
          const report = f.reports[i];
          const proof = f.tree.proofOf(report.documentHash);
          expect(proof.length).to.be.within(9, 10);
          expect(await f.valuationRegistry.verifyInBatch(f.tree.root, report, proof)).to.equal(true);
          if (i !== j) {
            const borrowed = f.tree.proofOf(f.reports[j].documentHash);
            expect(await f.valuationRegistry.verifyInBatch(f.tree.root, report, borrowed)).to.equal(false);
          }
        }),
        { numRuns: 25 },
      );
    });

    it("materialises reports from either depth of the tree, first and last alike", async () => {
      const f = await loadFixture(thousandReportsFixture);
      await f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(f.tree.root, 1000);
      const batch = { ...f.tree, evaluator: f.signers.evaluator.address, anchoredAt: BigInt(await time.latest()) };
      const depth = (r: ValuationReport) => f.tree.proofOf(r.documentHash).length;
      // 1000 leaves fill a tree of depth 10 but for 24 leaves one level up.
      const shallow = f.reports.filter((r) => depth(r) === 9);
      expect(shallow).to.have.length(24);
      const picks = new Set([f.reports[0], f.reports[999], shallow[0], f.reports.find((r) => depth(r) === 10)!]);
      for (const report of picks) await expectMaterialised(f, batch, report);
    });
  });

  describe("forged proofs", () => {
    const fiveReportBatch = async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 5, "forgery");
      return { f, reports, batch: await anchoredBatch(f, reports) };
    };

    it("refuses a proof with any byte of any element flipped", async () => {
      const { f, reports, batch } = await fiveReportBatch();
      const report = reports[2];
      const proof = batch.proofOf(report.documentHash);
      for (let k = 0; k < proof.length; k++) {
        for (const at of [0, 17, 31]) {
          const forged = proof.map((node, n) => (n === k ? flipByte(node, at) : node));
          await expectNotInBatch(f, batch.root, report, forged);
        }
      }
      await expectMaterialised(f, batch, report);
    });

    it("refuses a proof with an element dropped or one added", async () => {
      const { f, reports, batch } = await fiveReportBatch();
      for (const report of reports) {
        const proof = batch.proofOf(report.documentHash);
        await expectNotInBatch(f, batch.root, report, proof.slice(1));
        await expectNotInBatch(f, batch.root, report, proof.slice(0, -1));
        await expectNotInBatch(f, batch.root, report, [...proof, fileHash("padding")]);
        await expectNotInBatch(f, batch.root, report, [...proof, proof[0]]);
      }
    });

    it("refuses a report with the proof of the same position in another batch", async () => {
      const { f, reports, batch } = await fiveReportBatch();
      const others = reportsOf(f, 5, "second forgery");
      const second = await anchoredBatch(f, others);
      // The proof of whichever report of the second batch sits at the same place in its tree.
      const secondAt = new Map(second.tree.dump().values.map((v, k) => [v.treeIndex, k]));
      for (const [i, report] of reports.entries()) {
        const place = batch.tree.dump().values[i].treeIndex;
        const borrowed = second.tree.getProof(secondAt.get(place)!);
        expect(borrowed).to.have.length(batch.proofOf(report.documentHash).length);
        await expectNotInBatch(f, batch.root, report, borrowed);
        await expectNotInBatch(f, second.root, report, batch.proofOf(report.documentHash));
      }
    });

    const TAMPERED: [string, (f: ValuationFixture, r: ValuationReport) => Partial<ValuationReport>][] = [
      ["value", (_, r) => ({ value: r.value + 1n })],
      ["validity", (_, r) => ({ validUntil: BigInt(r.validUntil) + 1n })],
      ["valuation date", (_, r) => ({ valuationDate: BigInt(r.valuationDate) - 1n })],
      ["assets", (f) => ({ assetIds: [f.assets.patentA, f.assets.patentB, fileHash("another patent")] })],
      [
        "asset order",
        (f, r) => ({
          assetIds:
            r.assetIds.length > 1
              ? [...r.assetIds].reverse()
              : [r.assetIds[0] === f.assets.patentA ? f.assets.patentB : f.assets.patentA],
        }),
      ],
      ["locator", (_, r) => ({ uri: `${r.uri}#page=2` })],
      ["method", (_, r) => ({ method: (r.method + 1) % 4 })],
      ["currency", () => ({ currency: hexlify(new TextEncoder().encode("USD")) })],
      ["superseded report", () => ({ supersedes: fileHash("some older report") })],
      ["document", () => ({ documentHash: fileHash("a different file") })],
    ];
    for (const [field, tamper] of TAMPERED) {
      it(`refuses a report whose ${field} was changed, under the original report's proof`, async () => {
        const { f, reports, batch } = await fiveReportBatch();
        for (const report of reports) {
          const forged = { ...report, ...tamper(f, report) };
          expect(leafHashOf(forged)).to.not.equal(leafHashOf(report));
          await expectNotInBatch(f, batch.root, forged, batch.proofOf(report.documentHash));
        }
      });
    }

    it("refuses a report whose evaluator was changed: that evaluator has no batch, or none with its leaf", async () => {
      const { f, reports, batch } = await fiveReportBatch();
      const { otherEvaluator } = f.signers;
      const forgeries = reports.map((report) => ({ ...report, evaluator: otherEvaluator.address }));
      for (const [i, forged] of forgeries.entries()) {
        expect(leafHashOf(forged)).to.not.equal(leafHashOf(reports[i]));
        await expectNoBatch(f, batch.root, forged, batch.proofOf(reports[i].documentHash));
      }
      // Even once the other evaluator anchors the very same root, its batch holds no leaf naming it.
      await f.valuationRegistry.connect(otherEvaluator).anchorBatch(batch.root, reports.length);
      for (const [i, forged] of forgeries.entries()) {
        await expectNotInBatch(f, batch.root, forged, batch.proofOf(reports[i].documentHash));
      }
      await expectMaterialised(f, batch, reports[0]);
    });

    it("refuses a root never anchored: zero, a leaf, the root of a tree nobody anchored", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 2, "unknown batch");
      const batch = await anchoredBatch(f, reports);
      const proof = batch.proofOf(reports[0].documentHash);
      const unanchored = buildReportBatch([...reports, ...reportsOf(f, 1, "never anchored")]).root;
      for (const unknown of [ZeroHash, leafHashOf(reports[0]), unanchored, `0x${"ff".repeat(32)}`]) {
        await expectNoBatch(f, unknown, reports[0], proof);
      }
    });

    it("refuses a report whose evaluator has no batch under the root, leaf in the tree or not, until it anchors the root", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { otherEvaluator } = f.signers;
      const own = reportsOf(f, 2, "own");
      const foreign = reportsOf(f, 2, "foreign", otherEvaluator.address);
      const mixed = [own[0], foreign[0], own[1]];
      const byEvaluator = await anchoredBatch(f, mixed);
      const proof = byEvaluator.proofOf(foreign[0].documentHash);
      expect(rootFrom(leafHashOf(foreign[0]), proof)).to.equal(byEvaluator.root);
      await expectNoBatch(f, byEvaluator.root, foreign[0], proof);
      // A batch of the other evaluator over some of the same reports admits its report and refuses the first's.
      const byOther = await anchoredBatch(f, [own[0], foreign[1]], otherEvaluator);
      await expectNoBatch(f, byOther.root, own[0], byOther.proofOf(own[0].documentHash));
      await expectMaterialised(f, byOther, foreign[1]);
      // Once the other evaluator anchors the mixed root as well, its report there materialises from its own batch,
      // dated from its own anchoring; the first evaluator's reports still come from the first evaluator's batch.
      await time.increase(DAY);
      const mixedByOther = await anchoredBatch(f, mixed, otherEvaluator);
      expect(mixedByOther.root).to.equal(byEvaluator.root);
      expect(mixedByOther.anchoredAt).to.be.greaterThan(byEvaluator.anchoredAt);
      await expectMaterialised(f, mixedByOther, foreign[0]);
      await expectMaterialised(f, byEvaluator, own[1]);
    });

    it("refuses report i under report j's proof for every i ≠ j", async () => {
      const { f, reports, batch } = await fiveReportBatch();
      for (const [i, report] of reports.entries()) {
        for (const [j, other] of reports.entries()) {
          if (i === j) continue;
          expect(
            await f.valuationRegistry.verifyInBatch(batch.root, report, batch.proofOf(other.documentHash)),
          ).to.equal(false, `report ${i} under the proof of report ${j}`);
        }
      }
      await expectNotInBatch(f, batch.root, reports[0], batch.proofOf(reports[1].documentHash));
    });
  });

  describe("root squatting", () => {
    it("lets an evaluator anchor and use its root though another evaluator anchored it first", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, otherEvaluator } = f.signers;
      const reports = reportsOf(f, 3, "squatted");
      // The other evaluator sees the root (say, in the mempool) and anchors it first, as its own batch.
      const squatted = await anchoredBatch(f, reports, otherEvaluator);
      // Its batch materialises none of the evaluator's reports: the evaluator has no batch under the root yet.
      for (const r of reports) await expectNoBatch(f, squatted.root, r, squatted.proofOf(r.documentHash));
      await time.increase(DAY);
      await expect(f.valuationRegistry.connect(evaluator).anchorBatch(squatted.root, 3))
        .to.emit(f.valuationRegistry, "BatchAnchored")
        .withArgs(squatted.root, evaluator.address, 3n);
      const own = { ...squatted, evaluator: evaluator.address, anchoredAt: BigInt(await time.latest()) };
      expect(own.anchoredAt).to.be.greaterThan(squatted.anchoredAt);
      expect(await batchFields(f, evaluator.address, own.root)).to.deep.equal([own.anchoredAt, 3n, false]);
      expect(await batchFields(f, otherEvaluator.address, own.root)).to.deep.equal([squatted.anchoredAt, 3n, false]);
      // The evaluator's reports materialise from its own batch, dated from its anchoring, not the squatter's.
      for (const r of reports.slice(0, 2)) await expectMaterialised(f, own, r);
      // The squatter's batch under the same root admits no copy of them naming the squatter.
      const copy = { ...reports[2], evaluator: otherEvaluator.address };
      await expectNotInBatch(f, squatted.root, copy, squatted.proofOf(reports[2].documentHash));
      await expectMaterialised(f, own, reports[2]);
    });

    it("keeps the squatter's batch apart: the squatter cannot revoke the evaluator's, and revoking its own spares it", async () => {
      const f = await loadFixture(deployValuationFixture);
      const { evaluator, otherEvaluator, relayer } = f.signers;
      const reports = reportsOf(f, 2, "squatted");
      const squatted = await anchoredBatch(f, reports, otherEvaluator);
      const own = await anchoredBatch(f, reports);
      // A BatchRevocation signature covers the root; its signer is whose batch it revokes: never the evaluator's here.
      const bySquatter = await signBatchRevocation(f.valuationRegistry, otherEvaluator, own.root, "withdrawn");
      for (const [by, consent] of [
        [otherEvaluator, NO_CONSENT],
        [relayer, bySquatter],
      ] as const) {
        await expect(f.valuationRegistry.connect(by).revokeBatch(evaluator, own.root, "withdrawn", consent))
          .to.be.revertedWithCustomError(f.valuationRegistry, "SignatureInvalid")
          .withArgs(evaluator.address);
      }
      // It revokes the squatter's own batch under the root, and that one only.
      await expect(f.valuationRegistry.connect(relayer).revokeBatch(otherEvaluator, own.root, "withdrawn", bySquatter))
        .to.emit(f.valuationRegistry, "BatchRevoked")
        .withArgs(own.root, otherEvaluator.address, otherEvaluator.address, "withdrawn");
      expect(await batchFields(f, otherEvaluator.address, own.root)).to.deep.equal([squatted.anchoredAt, 2n, true]);
      expect(await batchFields(f, evaluator.address, own.root)).to.deep.equal([own.anchoredAt, 2n, false]);
      for (const r of reports) await expectMaterialised(f, own, r);
    });
  });

  describe("second preimages: an inner node never passes for a report", () => {
    it("refuses every report at the position of the inner node N01, which the root accepts with [N23]", async () => {
      const f = await loadFixture(deployValuationFixture);
      const reports = reportsOf(f, 4, "quartet");
      const batch = await anchoredBatch(f, reports);
      // A four-leaf tree is laid out [root, N01, N23, L0, L1, L2, L3].
      const nodes = batch.tree.dump().tree;
      expect(nodes).to.have.length(7);
      const [l0, l1, l2, l3] = nodes.slice(3);
      expect([l0, l1, l2, l3].sort()).to.deep.equal(reports.map(leafHashOf).sort());
      const n01 = hashPair(l0, l1);
      const n23 = hashPair(l2, l3);
      expect([nodes[1], nodes[2]]).to.deep.equal([n01, n23]);
      // N01 with the one-element proof [N23] folds up to the root: raw Merkle verification accepts it.
      expect(rootFrom(n01, [n23])).to.equal(batch.root);

      for (const report of reports) {
        const leaf = await f.valuationRegistry.leafOf(report);
        expect([batch.root, n01, n23]).to.not.include(leaf);
        for (const proof of [[n23], [n01]]) await expectNotInBatch(f, batch.root, report, proof);
      }
    });

    it("hashes a leaf from 32 bytes, so it cannot equal a node hashed from 64", async () => {
      const f = await loadFixture(deployValuationFixture);
      for (const report of reportsOf(f, 3, "preimage")) {
        const structHash = await f.valuationRegistry.reportHash(report);
        const leafPreimage = keccak256(structHash);
        expect(getBytes(leafPreimage)).to.have.length(32);
        expect(await f.valuationRegistry.leafOf(report)).to.equal(keccak256(leafPreimage));
      }
      const [a, b] = reportsOf(f, 2, "preimage").map(leafHashOf);
      expect(getBytes(concat([a, b].sort()))).to.have.length(64);
    });
  });
});
