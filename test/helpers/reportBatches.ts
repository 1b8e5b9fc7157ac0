/**
 * Shared by the batch tests (ValuationRegistry.proofs and ValuationRegistry.batches): a deterministic generator of
 * many distinct reports, the Merkle hashing done by hand, anchoring a batch, and the outcomes a batched report can
 * have — materialised exactly like a single report, or neither verified nor materialised, because its evaluator has
 * no batch under the root or because its proof does not lead there. A batch is identified by its evaluator and its
 * root: a report is looked up in the batch its own evaluator anchored under the root. Roots, leaves and proofs come
 * from the test (OpenZeppelin StandardMerkleTree through buildReportBatch, sorted-pair keccak by hand), never from the
 * registry.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, ZeroHash, concat, keccak256 } from "ethers";
import { cny } from "../../definitions/riskSchemes";
import {
  ReportStatus,
  buildReportBatch,
  reportStructHash,
  type ReportBatchTree,
  type ValuationReport,
} from "../../definitions/valuationTypedData";
import { DAY } from "./registryFixture";
import { deployValuationFixture, fileHash, type ValuationFixture } from "./valuationFixture";

/** The Merkle leaf of a report, as OpenZeppelin's StandardMerkleTree of ["bytes32"] builds it. */
export const leafHashOf = (report: ValuationReport) =>
  keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [reportStructHash(report)])));

/** An inner node: the keccak of its two children in ascending order, as OpenZeppelin's MerkleProof folds them. */
export const hashPair = (a: string, b: string) =>
  BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));

/** The root a proof leads to from a leaf. */
export const rootFrom = (leaf: string, proof: string[]) => proof.reduce(hashPair, leaf);

/**
 * `count` reports of one evaluator with distinct documents; value, method, dates, assets and locator drawn from the
 * keccak of each document, so every run sees the same batch.
 */
export function reportsOf(f: ValuationFixture, count: number, label: string, evaluator = f.signers.evaluator.address) {
  const { patentA, patentB } = f.assets;
  const assetSets = [[patentA], [patentB], [patentA, patentB], [patentB, patentA]];
  return Array.from({ length: count }, (_, i): ValuationReport => {
    const documentHash = fileHash(`${label} ${i}`);
    const draw = BigInt(keccak256(documentHash));
    const pick = (shift: bigint, modulus: bigint) => (draw >> shift) % modulus;
    return f.reportFor({
      documentHash,
      evaluator,
      assetIds: assetSets[Number(pick(0n, 4n))],
      value: cny(1n + pick(8n, 100_000_000n)),
      method: Number(pick(48n, 4n)),
      valuationDate: f.now - DAY * (1n + pick(56n, 365n)),
      validUntil: f.now + DAY * (30n + pick(72n, 700n)),
      uri: pick(88n, 3n) === 0n ? "" : `ipfs://${label.replaceAll(" ", "-")}-${i}.pdf`,
    });
  });
}

/** What `batchOf(evaluator, root)` returns, as a plain array to compare whole. */
export async function batchFields(f: ValuationFixture, evaluator: string, root: string) {
  const { anchoredAt, reportCount, revoked } = await f.valuationRegistry.batchOf(evaluator, root);
  return [anchoredAt, reportCount, revoked];
}

/** `batchFields` of a batch nobody anchored. */
export const NO_BATCH = [0n, 0n, false];

/** A batch's tree, the evaluator who anchored its root (together they identify the batch) and when. */
export type AnchoredBatch = ReportBatchTree & { evaluator: string; anchoredAt: bigint };

/** Builds the tree of `reports` and has `by` anchor its root, as `by`'s batch. */
export async function anchoredBatch(
  f: ValuationFixture,
  reports: ValuationReport[],
  by = f.signers.evaluator,
): Promise<AnchoredBatch> {
  const batch = buildReportBatch(reports);
  await (await f.valuationRegistry.connect(by).anchorBatch(batch.root, reports.length)).wait();
  return { ...batch, evaluator: by.address, anchoredAt: BigInt(await time.latest()) };
}

/** `report`'s evaluator has a batch under `root`, but `proof` does not lead from the report's leaf to it. */
export async function expectNotInBatch(f: ValuationFixture, root: string, report: ValuationReport, proof: string[]) {
  expect(await f.valuationRegistry.verifyInBatch(root, report, proof)).to.equal(false);
  await expect(f.valuationRegistry.connect(f.signers.relayer).materialise(root, report, proof))
    .to.be.revertedWithCustomError(f.valuationRegistry, "ReportNotInBatch")
    .withArgs(root, report.documentHash);
  expect((await f.valuationRegistry.reportOf(report.documentHash))[0].status).to.equal(ReportStatus.None);
}

/**
 * `report`'s evaluator has no batch under `root` (whoever else anchored it): the report is neither verified nor
 * materialised, whatever the proof.
 */
export async function expectNoBatch(f: ValuationFixture, root: string, report: ValuationReport, proof: string[]) {
  expect(await f.valuationRegistry.verifyInBatch(root, report, proof)).to.equal(false);
  await expect(f.valuationRegistry.connect(f.signers.relayer).materialise(root, report, proof))
    .to.be.revertedWithCustomError(f.valuationRegistry, "BatchNotFound")
    .withArgs(report.evaluator, root);
  expect((await f.valuationRegistry.reportOf(report.documentHash))[0].status).to.equal(ReportStatus.None);
}

/**
 * Materialises `report` from `batch` (which must be the batch of the report's evaluator) and checks it is recorded
 * like a single report, dated from that batch and tied to its root.
 */
export async function expectMaterialised(
  f: ValuationFixture,
  batch: AnchoredBatch,
  report: ValuationReport,
  by = f.signers.relayer,
) {
  expect(report.evaluator).to.equal(batch.evaluator, "a report materialises only from its own evaluator's batch");
  const proof = batch.proofOf(report.documentHash);
  expect(await f.valuationRegistry.verifyInBatch(batch.root, report, proof)).to.equal(true);
  await expect(f.valuationRegistry.connect(by).materialise(batch.root, report, proof))
    .to.emit(f.valuationRegistry, "ReportAnchored")
    .withArgs(
      report.documentHash,
      report.evaluator,
      batch.root,
      (r: ValuationReport) => r.value === report.value && r.uri === report.uri && r.validUntil === report.validUntil,
    );
  const [record, batchRoot, supersededBy] = await f.valuationRegistry.reportOf(report.documentHash);
  expect(record.evaluator).to.equal(report.evaluator);
  expect(record.status).to.equal(ReportStatus.Anchored);
  expect(record.assetCount).to.equal(BigInt(report.assetIds.length));
  expect(record.validUntil).to.equal(report.validUntil);
  expect(record.anchoredAt).to.equal(batch.anchoredAt);
  expect([batchRoot, supersededBy]).to.deep.equal([batch.root, ZeroHash]);
}

/** The valuation fixture with a thousand reports of the evaluator and their tree, built once and cached. */
export async function thousandReportsFixture() {
  const f = await deployValuationFixture();
  const reports = reportsOf(f, 1000, "bulk report");
  return { ...f, reports, tree: buildReportBatch(reports) };
}
