/**
 * Automatic batching through HTTP: the evaluator queues reports with batch=true; every N reports (or T seconds) the
 * gateway seals them under a Merkle root; the evaluator signs the root once with its own wallet; the gateway anchors
 * the batch and hands each caller its proof, which the registry itself verifies; anyone materialises a report.
 * The valuations feature is mounted with small N and T, over the same chain, organisations and store as openGateway.
 */
import { expect } from "chai";
import express from "express";
import request from "supertest";
import { randomBytes } from "node:crypto";
import { ZeroHash, hexlify, sha256, toUtf8Bytes } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { DocumentStore } from "../../api/src/documents/store";
import { createLogger } from "../../api/src/logger";
import { authenticate } from "../../api/src/middleware/auth";
import { errorHandler, notFound } from "../../api/src/middleware/errorHandler";
import { ApiDefinition } from "../../api/src/openapi/registry";
import { OrganisationDirectory } from "../../api/src/organisations";
import type { BatchingOptions } from "../../api/src/routes/valuations/batching";
import { valuationsRouter } from "../../api/src/routes/valuations/router";
import { ValuationMethod, buildReportBatch, type ValuationReport } from "../../definitions/valuationTypedData";
import { deployGatewayFixture, openGateway, type GatewayFixture } from "./helpers/gatewayFixture";

const DAY = 86_400;
const YEAR = 365 * DAY;
const startOfDay = (seconds: bigint) => (seconds / BigInt(DAY)) * BigInt(DAY);

/** The valuations feature alone, batching every `options.batchSize` / `options.batchSeconds`, over a store directory. */
function mountValuations(
  f: GatewayFixture,
  organisations: OrganisationDirectory,
  dataDir: string,
  options: BatchingOptions,
) {
  const parts = {
    config: { MAX_JSON_BYTES: 256 * 1024, MAX_DOCUMENT_BYTES: 1024 * 1024, RATE_LIMIT_PER_MINUTE: 100_000 },
    logger: createLogger("silent"),
    registry: f.registry,
    store: new DocumentStore(dataDir),
    organisations,
  };
  const valuations = valuationsRouter(new ApiDefinition(), parts, options);
  const app = express()
    .use(express.json())
    .use("/v1", authenticate(organisations), valuations)
    .use(notFound)
    .use(errorHandler);
  const as = (org: keyof GatewayFixture["keyOf"]) => ({
    get: (path: string) => request(app).get(`/v1${path}`).set("Authorization", `Bearer ${f.keyOf[org]}`),
    post: (path: string, body?: object) =>
      request(app)
        .post(`/v1${path}`)
        .set("Authorization", `Bearer ${f.keyOf[org]}`)
        .send(body ?? {}),
    upload: (bytes: Buffer) =>
      request(app)
        .post("/v1/documents")
        .set("Authorization", `Bearer ${f.keyOf[org]}`)
        .set("content-type", "application/pdf")
        .send(bytes),
  });
  return { as, close: valuations.close };
}

/**
 * openGateway's chain, keys and wallets with the valuations feature mounted with small N and T; `restart` mounts it
 * again over the same store, as a restarted gateway would be (the chain is left as it is).
 */
async function openBatchingGateway(options: BatchingOptions) {
  const f = await openGateway();
  const { demo } = await loadFixture(deployGatewayFixture); // the same cached organisations; the chain is unchanged
  const organisations = new OrganisationDirectory(demo.map((d) => d.organisation));
  const mounted = mountValuations(f, organisations, f.dataDir, options);
  const restart = (again: BatchingOptions) => mountValuations(f, organisations, f.dataDir, again);
  /** `gateway` is the whole gateway of openGateway, for the registrar to record assets. */
  return { ...f, gateway: f.as, ...mounted, restart };
}
type BatchingGateway = Awaited<ReturnType<typeof openBatchingGateway>>;

/** A granted invention patent, recorded by the registrar through the whole gateway; returns its asset id. */
async function recordPatent(g: BatchingGateway) {
  const res = await g.gateway("registration-office").post("/assets", {
    kind: "InventionPatent",
    officialNumber: "ZL202110012345.6",
    holders: [{ address: g.parties[0].address, shareBps: 10_000 }],
    grantDate: Number(g.now) - 2 * YEAR,
    expiryDate: Number(g.now) + 15 * YEAR,
    feesPaidUntil: Number(g.now) + YEAR,
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.assetId as string;
}

/** Upload a report file and queue its report for the next batch; returns the report as the register will take it. */
async function queueReport(g: BatchingGateway, assetId: string, label: string) {
  const bytes = Buffer.concat([Buffer.from(`%PDF-1.7\n${label}\n`), randomBytes(32)]);
  const stored = await g.as("evaluator").upload(bytes);
  expect(stored.status, JSON.stringify(stored.body)).to.equal(201);
  const fields = {
    documentHash: sha256(bytes),
    assetIds: [assetId],
    value: "1200000000",
    currency: "CNY",
    method: "Market",
    valuationDate: Number(g.now) - DAY,
    validUntil: Number(g.now) + YEAR,
    uri: `https://evaluator.example/${label}.pdf`,
  };
  const res = await g.as("evaluator").post("/valuations", { report: fields, batch: true });
  const expected: ValuationReport = {
    ...fields,
    evaluator: g.signerOf.evaluator.address,
    value: 1_200_000_000n,
    currency: hexlify(toUtf8Bytes("CNY")),
    method: ValuationMethod.Market,
    // Calendar dates: the register holds 00:00:00 UTC of the day given.
    valuationDate: startOfDay(g.now - BigInt(DAY)),
    validUntil: startOfDay(g.now + BigInt(YEAR)),
    supersedes: ZeroHash,
  };
  return { res, report: expected };
}

/** The evaluator's batches awaiting its signature: it signs the root's typed data with its own wallet. */
async function signAwaitingBatch(g: BatchingGateway, signer = g.signerOf.evaluator) {
  const listed = await g.as("evaluator").get("/valuations/batches?state=awaiting-signature");
  expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
  const [batch] = listed.body.batches;
  const { domain, types, message } = batch.typedData;
  const signature = await signer.signTypedData(domain, types, message);
  const res = await g.as("evaluator").post(`/valuations/batches/${batch.root}/signature`, {
    signature,
    nonce: message.nonce,
    deadline: message.deadline,
  });
  return { batch, res };
}

describe("gateway — valuation batches", () => {
  it("seals every third report into a batch the evaluator signs once; each report's proof verifies on chain", async () => {
    const g = await openBatchingGateway({ batchSize: 3 });
    const assetId = await recordPatent(g);
    const queued = [];
    for (const label of ["report-1", "report-2", "report-3"]) queued.push(await queueReport(g, assetId, label));
    const reports = queued.map((q) => q.report);
    const expectedRoot = buildReportBatch(reports).root;
    expect(queued.map((q) => [q.res.status, q.res.body.state, q.res.body.root])).to.deep.equal([
      [202, "queued", null],
      [202, "queued", null],
      [202, "awaiting-signature", expectedRoot],
    ]);

    const { batch, res } = await signAwaitingBatch(g);
    expect(batch).to.deep.include({ root: expectedRoot, state: "awaiting-signature", reportCount: 3 });
    expect(batch.typedData.message).to.include({ root: expectedRoot, reportCount: 3 });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const onChain = await g.contracts.valuationRegistry.batchOf(g.signerOf.evaluator.address, expectedRoot);
    expect([onChain.reportCount, onChain.revoked]).to.deep.equal([3n, false]);
    const anchored = await g.as("evaluator").get("/valuations/batches?state=anchored");
    expect(anchored.body.batches.map((b: { root: string }) => b.root)).to.deep.equal([expectedRoot]);

    for (const report of reports) {
      const proof = await g.as("bank-a").get(`/valuations/${report.documentHash}/proof`);
      expect(proof.body).to.include({ root: expectedRoot, anchored: true, state: "anchored" });
      expect(await g.contracts.valuationRegistry.verifyInBatch(expectedRoot, report, proof.body.proof)).to.equal(true);
      // Nobody materialised it yet: the answer is its batch and its proof, in the ABI's own form, used as it is.
      const before = await g.as("bank-a").get(`/valuations/${report.documentHash}`);
      expect(before.status, JSON.stringify(before.body)).to.equal(200);
      expect(before.body).to.deep.include({ source: "batch", anchored: true, materialised: false });
      expect(before.body.batch).to.include({ root: expectedRoot, state: "anchored" });
      const { root, report: asAbi, proof: path } = before.body.verifyInBatch;
      expect(await g.contracts.valuationRegistry.verifyInBatch(root, asAbi, path)).to.equal(true);
      expect(proof.body.verifyInBatch).to.deep.equal(before.body.verifyInBatch);

      const materialised = await g.as("bank-a").post(`/valuations/${report.documentHash}/materialise`);
      expect(materialised.status, JSON.stringify(materialised.body)).to.equal(200);
      const read = await g.as("bank-a").get(`/valuations/${report.documentHash}`);
      expect(read.body).to.include({ status: "Anchored", verdict: "VALID", batchRoot: expectedRoot });
      expect(read.body.report).to.include({ method: "Market", uri: report.uri });
    }
  });

  it("gives verifyInBatch's arguments exactly as the ABI takes them, and 404 while a report is only queued", async () => {
    const g = await openBatchingGateway({ batchSize: 2 });
    const assetId = await recordPatent(g);
    const first = await queueReport(g, assetId, "first");
    const queued = await g.as("bank-a").get(`/valuations/${first.report.documentHash}`);
    expect(queued.status).to.equal(404);
    expect(queued.body.error.message).to.match(/queued in this gateway's next batch/);
    expect((await g.as("bank-a").get(`/valuations/${first.report.documentHash}/proof`)).body.verifyInBatch).to.equal(
      null,
    );
    await queueReport(g, assetId, "second");
    const sealed = await g.as("auditor").get(`/valuations/${first.report.documentHash}`);
    expect(sealed.status).to.equal(200);
    expect(sealed.body).to.deep.include({ source: "batch", anchored: false, materialised: false });
    // Independently: the report struct as the evaluator stated it, integers as decimal strings, currency as bytes3.
    const r = first.report;
    expect(sealed.body.verifyInBatch.report).to.deep.equal({
      documentHash: r.documentHash.toLowerCase(),
      evaluator: r.evaluator,
      assetIds: r.assetIds.map((id) => id.toLowerCase()),
      value: r.value.toString(),
      currency: "0x434e59",
      method: ValuationMethod.Market,
      valuationDate: r.valuationDate.toString(),
      validUntil: r.validUntil.toString(),
      supersedes: ZeroHash,
      uri: r.uri,
    });
    // Taken as they are, the arguments prove the report once the evaluator's batch is on chain.
    const { root, report, proof } = sealed.body.verifyInBatch;
    expect(await g.contracts.valuationRegistry.verifyInBatch(root, report, proof)).to.equal(false);
    expect((await signAwaitingBatch(g)).res.status).to.equal(200);
    expect(await g.contracts.valuationRegistry.verifyInBatch(root, report, proof)).to.equal(true);
  });

  it("seals a queue that is not full once its time is up", async () => {
    const g = await openBatchingGateway({ batchSize: 3, batchSeconds: 0.2 });
    const assetId = await recordPatent(g);
    const { res, report } = await queueReport(g, assetId, "alone");
    expect(res.body.state).to.equal("queued");
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Sealed by the timer, before any request came: the report's placement in the store names its root.
    const placement = new DocumentStore(g.dataDir).getRecord<{ root: string }>(
      "valuation-batched",
      report.documentHash,
    );
    expect(placement?.root).to.equal(buildReportBatch([report]).root);
    const proof = await g.as("evaluator").get(`/valuations/${report.documentHash}/proof`);
    // A batch of one: its root is the report's leaf and the proof is empty.
    expect(proof.body).to.deep.include({ state: "awaiting-signature", anchored: false, proof: [] });
    expect(proof.body.root).to.equal(buildReportBatch([report]).root);
    expect((await signAwaitingBatch(g)).res.status).to.equal(200);
    expect((await g.as("auditor").post(`/valuations/${report.documentHash}/materialise`)).status).to.equal(200);
  });

  it("keeps queues in the document store: a gateway restarted over the same store completes the batch", async () => {
    const g = await openBatchingGateway({ batchSize: 3 });
    const assetId = await recordPatent(g);
    const early = [await queueReport(g, assetId, "a"), await queueReport(g, assetId, "b")];
    g.close();
    const restarted = { ...g, ...g.restart({ batchSize: 3 }) };
    const { res, report } = await queueReport(restarted, assetId, "c");
    const expectedRoot = buildReportBatch([...early.map((q) => q.report), report]).root;
    expect([res.status, res.body.state, res.body.root]).to.deep.equal([202, "awaiting-signature", expectedRoot]);
  });

  it("refuses a report already queued, a root signed by another wallet, and proofs of a batch not sealed", async () => {
    const g = await openBatchingGateway({ batchSize: 2 });
    const assetId = await recordPatent(g);
    const { report } = await queueReport(g, assetId, "first");
    const fields = { documentHash: report.documentHash, assetIds: [assetId], value: "1", currency: "CNY" };
    const twice = await g.as("evaluator").post("/valuations", {
      report: { ...fields, method: "Cost", valuationDate: Number(g.now) - DAY, validUntil: Number(g.now) + DAY },
      batch: true,
    });
    expect([twice.status, twice.body.error.code]).to.deep.equal([422, "REPORT_ALREADY_BATCHED"]);
    const queued = await g.as("bank-a").get(`/valuations/${report.documentHash}/proof`);
    expect(queued.body).to.deep.include({ state: "queued", root: null, proof: [], anchored: false });
    const early = await g.as("bank-a").post(`/valuations/${report.documentHash}/materialise`);
    expect([early.status, early.body.error.code]).to.deep.equal([422, "BATCH_NOT_FOUND"]);

    await queueReport(g, assetId, "second");
    const forged = await signAwaitingBatch(g, g.signerOf["bank-a"]);
    expect([forged.res.status, forged.res.body.error.code]).to.deep.equal([422, "SIGNATURE_INVALID"]);
    const notYours = await g.as("bank-a").get("/valuations/batches");
    expect(notYours.status).to.equal(403);
  });
});
