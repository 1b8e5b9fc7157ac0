/**
 * /v1/documents and /v1/valuations through HTTP: the evaluator uploads its report file, signs the typed data the
 * gateway prepares with its own wallet (the gateway never holds its key), and the gateway relays; anyone looks a
 * report up by hash or checks a file; the evaluator (by signature) or the registrar revokes.
 */
import { expect } from "chai";
import request from "supertest";
import { randomBytes } from "node:crypto";
import { sha256 } from "ethers";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";

const DAY = 86_400;
const YEAR = 365 * DAY;
type Org = Parameters<GatewayFixture["as"]>[0];

/** A granted invention patent recorded by the registrar; returns its asset id. */
async function recordPatent(f: GatewayFixture, officialNumber = "ZL202110012345.6") {
  const res = await f.as("registration-office").post("/assets", {
    kind: "InventionPatent",
    officialNumber,
    holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
    grantDate: Number(f.now) - 2 * YEAR,
    expiryDate: Number(f.now) + 15 * YEAR,
    feesPaidUntil: Number(f.now) + YEAR,
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.assetId as string;
}

const upload = (f: GatewayFixture, bytes: Buffer, org: Org = "evaluator", path = "/documents") =>
  request(f.app)
    .post(`/v1${path}`)
    .set("Authorization", `Bearer ${f.keyOf[org]}`)
    .set("content-type", "application/pdf")
    .send(bytes);

/** A report file's bytes: a stand-in PDF with its own text. */
const reportFile = (text: string) => Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(text), randomBytes(64)]);

/** The report fields the evaluator states, dated relative to the chain's clock. */
const fieldsOf = (f: GatewayFixture, documentHash: string, assetId: string, overrides: object = {}) => ({
  documentHash,
  assetIds: [assetId],
  value: "2500000000",
  currency: "CNY",
  method: "Income",
  valuationDate: Number(f.now) - DAY,
  validUntil: Number(f.now) + YEAR,
  ...overrides,
});

/** Step 1 (typed data), the evaluator's own signature, step 2 (anchor). */
async function anchorSigned(f: GatewayFixture, fields: object, signer = f.signerOf.evaluator) {
  const prepared = await f.as("evaluator").post("/valuations/typed-data", fields);
  expect(prepared.status, JSON.stringify(prepared.body)).to.equal(200);
  const { domain, types, message } = prepared.body.typedData;
  const signature = await signer.signTypedData(domain, types, message);
  return f
    .as("evaluator")
    .post("/valuations", { report: prepared.body.report, signature, nonce: message.nonce, deadline: message.deadline });
}

/** An uploaded and anchored report on a new patent. */
async function anchoredReport(f: GatewayFixture) {
  const assetId = await recordPatent(f);
  const bytes = reportFile("valuation report of ZL202110012345.6");
  const { body } = await upload(f, bytes);
  const res = await anchorSigned(f, fieldsOf(f, body.documentHash, assetId));
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { assetId, bytes, documentHash: body.documentHash as string };
}

async function revokeAsEvaluator(f: GatewayFixture, documentHash: string, reason: string) {
  const prepared = await f.as("evaluator").post(`/valuations/${documentHash}/revoke/typed-data`, { reason });
  expect(prepared.status, JSON.stringify(prepared.body)).to.equal(200);
  const { domain, types, message } = prepared.body.typedData;
  const signature = await f.signerOf.evaluator.signTypedData(domain, types, message);
  return f.as("evaluator").post(`/valuations/${documentHash}/revoke`, {
    reason,
    signature,
    nonce: message.nonce,
    deadline: message.deadline,
  });
}

describe("gateway — documents", () => {
  it("stores a document under its SHA-256 and serves the identical bytes back", async () => {
    const f = await openGateway();
    const bytes = reportFile("any file");
    const stored = await upload(f, bytes, "bank-a");
    expect(stored.status, JSON.stringify(stored.body)).to.equal(201);
    expect(stored.body).to.deep.equal({ documentHash: sha256(bytes), bytes: bytes.length });
    const fetched = await f
      .as("auditor")
      .get(`/documents/${sha256(bytes)}`)
      .buffer(true);
    expect(fetched.status).to.equal(200);
    expect(fetched.type).to.equal("application/pdf");
    expect(Buffer.compare(fetched.body as Buffer, bytes)).to.equal(0);
    const unknown = await f.as("auditor").get(`/documents/0x${"ab".repeat(32)}`);
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
  });

  it("stores a JSON file as the bytes sent, not as parsed JSON", async () => {
    const f = await openGateway();
    const bytes = Buffer.from('{ "valuation":  1, "note": "spacing matters" }\n');
    const res = await request(f.app)
      .post("/v1/documents")
      .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
      .set("content-type", "application/json")
      // (a string: supertest would JSON-encode a Buffer sent as application/json)
      .send(bytes.toString("utf8"));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.documentHash).to.equal(sha256(bytes));
  });

  it("tells two uploads under one Idempotency-Key apart by their bytes", async () => {
    const f = await openGateway();
    const send = (bytes: Buffer) =>
      request(f.app)
        .post("/v1/documents")
        .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
        .set("Idempotency-Key", "upload-1")
        .set("content-type", "application/pdf")
        .send(bytes);
    expect((await send(reportFile("first"))).status).to.equal(201);
    const other = await send(reportFile("second"));
    expect([other.status, other.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_KEY_REUSED"]);
  });

  it("answers 413 PAYLOAD_TOO_LARGE for a document over MAX_DOCUMENT_BYTES, and 400 for an empty one", async () => {
    const f = await openGateway();
    const tooLarge = await upload(f, Buffer.alloc(5 * 1024 * 1024 + 1, 1));
    expect([tooLarge.status, tooLarge.body.error.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
    const empty = await upload(f, Buffer.alloc(0));
    expect([empty.status, empty.body.error.code, empty.body.error.field]).to.deep.equal([
      400,
      "VALIDATION_FAILED",
      "body",
    ]);
  });
});

describe("gateway — valuation reports", () => {
  it("anchors a report its evaluator signed with its own wallet, and anyone reads it by the file's hash", async () => {
    const f = await openGateway();
    const { assetId, documentHash } = await anchoredReport(f);
    const res = await f.as("bank-a").get(`/valuations/${documentHash}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({
      documentHash,
      anchored: true,
      evaluator: f.signerOf.evaluator.address,
      status: "Anchored",
      verdict: "VALID",
      validUntil: new Date((Number(f.now) + YEAR) * 1000).toISOString().slice(0, 10),
      batchRoot: null,
      supersededBy: null,
    });
    expect(res.body.report).to.deep.include({
      assetIds: [assetId],
      value: "2500000000",
      currency: "CNY",
      method: "Income",
      valuationDate: new Date((Number(f.now) - DAY) * 1000).toISOString().slice(0, 10),
      uri: "",
    });
    const receipt = await f.registry.provider.getTransactionReceipt(res.body.proof.transactionHash);
    expect(receipt!.blockNumber).to.equal(res.body.proof.blockNumber);
    expect(res.body.history.map((e: { event: string }) => e.event)).to.deep.equal(["ReportAnchored"]);
    const [record] = await f.contracts.valuationRegistry.reportOf(documentHash);
    expect(record.evaluator).to.equal(f.signerOf.evaluator.address);
  });

  it("checks a file by hashing it: the same bytes are anchored, other bytes are not", async () => {
    const f = await openGateway();
    const { bytes, documentHash } = await anchoredReport(f);
    const same = await upload(f, bytes, "auditor", "/valuations/verify");
    expect(same.status, JSON.stringify(same.body)).to.equal(200);
    expect(same.body).to.include({ documentHash, anchored: true, status: "Anchored", verdict: "VALID" });
    const other = Buffer.from(bytes);
    other[other.length - 1] ^= 1;
    const tampered = await upload(f, other, "auditor", "/valuations/verify");
    expect(tampered.body).to.deep.equal({ documentHash: sha256(other), anchored: false, batch: null });
  });

  it("supersedes an earlier report of the same evaluator that names it", async () => {
    const f = await openGateway();
    const { assetId, documentHash: older } = await anchoredReport(f);
    const { body } = await upload(f, reportFile("renewed valuation"));
    const newer = await anchorSigned(f, fieldsOf(f, body.documentHash, assetId, { supersedes: older }));
    expect(newer.status, JSON.stringify(newer.body)).to.equal(201);
    const res = await f.as("bank-a").get(`/valuations/${older}`);
    expect(res.body).to.include({ status: "Superseded", verdict: "SUPERSEDED", supersededBy: body.documentHash });
  });

  it("refuses a report whose file was not uploaded (404) or that the register would refuse (422), before signing", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f);
    const missing = await f.as("evaluator").post("/valuations/typed-data", fieldsOf(f, sha256("0x01"), assetId));
    expect([missing.status, missing.body.error.code, missing.body.error.field]).to.deep.equal([
      404,
      "NOT_FOUND",
      "documentHash",
    ]);
    const { body } = await upload(f, reportFile("dated tomorrow"));
    const future = await f
      .as("evaluator")
      .post("/valuations/typed-data", fieldsOf(f, body.documentHash, assetId, { valuationDate: Number(f.now) + DAY }));
    expect([future.status, future.body.error.code]).to.deep.equal([422, "REPORT_INVALID"]);
  });

  it("relays only the evaluator's own signature: another wallet's is SIGNATURE_INVALID", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f);
    const { body } = await upload(f, reportFile("signed by the wrong key"));
    const res = await anchorSigned(f, fieldsOf(f, body.documentHash, assetId), f.signerOf["bank-a"]);
    expect([res.status, res.body.error.code]).to.deep.equal([422, "SIGNATURE_INVALID"]);
    const unknown = await f.as("bank-a").get(`/valuations/${body.documentHash}`);
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
  });

  it("revokes a report by its evaluator's signature: the verdict a pledge relies on becomes REVOKED", async () => {
    const f = await openGateway();
    const { assetId, documentHash } = await anchoredReport(f);
    const res = await revokeAsEvaluator(f, documentHash, "valuation method misapplied");
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const read = await f.as("bank-b").get(`/valuations/${documentHash}`);
    expect(read.body).to.include({ status: "Revoked", verdict: "REVOKED" });
    expect(read.body.history.at(-1)).to.deep.include({
      event: "ReportRevoked",
      args: { documentHash, revokedBy: f.signerOf.evaluator.address, reason: "valuation method misapplied" },
    });
    const REVOKED = 2n; // ValuationVerdict.Revoked, what PledgeRegistry's VALUATION_INVALID rule sees
    expect(await f.contracts.valuationRegistry.verdictFor(documentHash, [assetId])).to.equal(REVOKED);
  });

  it("revokes a report as the registrar, relayed with the office's role; an evaluator must sign", async () => {
    const f = await openGateway();
    const { documentHash } = await anchoredReport(f);
    const unsigned = await f.as("evaluator").post(`/valuations/${documentHash}/revoke`, { reason: "withdrawn" });
    expect([unsigned.status, unsigned.body.error.field]).to.deep.equal([400, "signature"]);
    const res = await f.as("registration-office").post(`/valuations/${documentHash}/revoke`, {
      reason: "evaluator's licence withdrawn",
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const read = await f.as("auditor").get(`/valuations/${documentHash}`);
    expect(read.body).to.include({ status: "Revoked", verdict: "REVOKED" });
    expect(read.body.history.at(-1).args.revokedBy).to.equal(await f.registry.relayer.address());
    const again = await revokeAsEvaluator(f, documentHash, "twice");
    expect([again.status, again.body.error.code]).to.deep.equal([422, "REPORT_NOT_CURRENT"]);
  });

  it("answers 403 for the wrong role", async () => {
    const f = await openGateway();
    const { documentHash } = await anchoredReport(f);
    const cases: [Org, string, object][] = [
      ["bank-a", "/valuations/typed-data", {}],
      ["registration-office", "/valuations", {}],
      ["auditor", `/valuations/${documentHash}/revoke`, { reason: "no" }],
      ["registration-office", `/valuations/${documentHash}/revoke/typed-data`, { reason: "no" }],
    ];
    for (const [org, path, body] of cases) {
      const res = await f.as(org).post(path, body);
      expect([res.status, res.body.error.code], `${org} ${path}`).to.deep.equal([403, "FORBIDDEN"]);
    }
    const batches = await f.as("bank-a").get("/valuations/batches");
    expect(batches.status).to.equal(403);
  });

  it("answers 400 VALIDATION_FAILED naming the field", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f);
    const base = fieldsOf(f, `0x${"12".repeat(32)}`, assetId);
    const cases: [object, string][] = [
      [{ ...base, method: "Guesswork" }, "method"],
      [{ ...base, value: "0" }, "value"],
      [{ ...base, currency: "USD" }, "currency"],
      [{ ...base, validUntil: Number(f.now) - 2 * DAY }, "validUntil"],
      [{ ...base, assetIds: [assetId, assetId] }, "assetIds"],
      [{ ...base, documentHash: "0x12" }, "documentHash"],
    ];
    for (const [body, field] of cases) {
      const res = await f.as("evaluator").post("/valuations/typed-data", body);
      expect([res.status, res.body.error.code, res.body.error.field], field).to.deep.equal([
        400,
        "VALIDATION_FAILED",
        field,
      ]);
    }
    const unsigned = await f.as("evaluator").post("/valuations", { report: base });
    expect([unsigned.status, unsigned.body.error.field]).to.deep.equal([400, "signature"]);
  });

  it("documents its routes in the OpenAPI document", async () => {
    const f = await openGateway();
    const doc = await request(f.app).get("/v1/openapi.json");
    expect(Object.keys(doc.body.paths)).to.include.members([
      "/v1/documents",
      "/v1/documents/{documentHash}",
      "/v1/valuations",
      "/v1/valuations/typed-data",
      "/v1/valuations/verify",
      "/v1/valuations/batches",
      "/v1/valuations/batches/{root}/signature",
      "/v1/valuations/{documentHash}",
      "/v1/valuations/{documentHash}/proof",
      "/v1/valuations/{documentHash}/materialise",
      "/v1/valuations/{documentHash}/revoke",
      "/v1/valuations/{documentHash}/revoke/typed-data",
    ]);
    expect(doc.body.paths["/v1/valuations"].post.description).to.match(/one signature per batch/);
  });
});
