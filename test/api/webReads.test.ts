/**
 * The reads the web app's evaluator, verify and pool pages need: an evaluator's list of its reports (registered,
 * queued for a batch), the public check's batch state, and the list of known pools.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { sha256 } from "ethers";
import request from "supertest";
import { openGateway } from "./helpers/gatewayFixture";
import { DAY, YEAR, anchorReport, recordPatent } from "./helpers/pledgeParties";
import { afterPeriod, expectStatus, openPoolGateway } from "./helpers/poolParties";

describe("gateway — reads for the web app", () => {
  it("lists the evaluator's reports (registered and queued) and the public check tells a queued report apart", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110077777.7", [f.parties[0]]);
    const registered = await anchorReport(f, [assetId], "report anchored singly");
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7 queued\n"), randomBytes(16)]);
    const upload = await request(f.app)
      .post("/v1/documents")
      .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
      .set("Content-Type", "application/octet-stream")
      .send(bytes);
    expectStatus(upload, 201);
    const queuedHash = sha256(bytes);
    const fields = {
      documentHash: queuedHash,
      assetIds: [assetId],
      value: "1200000000",
      currency: "CNY",
      method: "Market",
      valuationDate: Number(f.now) - DAY,
      validUntil: Number(f.now) + YEAR,
    };
    expectStatus(await f.as("evaluator").post("/valuations", { report: fields, batch: true }), 202);

    const list = await f.as("evaluator").get("/valuations");
    expectStatus(list, 200);
    const byHash = Object.fromEntries(list.body.reports.map((r: { documentHash: string }) => [r.documentHash, r]));
    expect(Object.keys(byHash)).to.have.members([registered.toLowerCase(), queuedHash]);
    expect(byHash[registered.toLowerCase()]).to.deep.include({
      stage: "registered",
      status: "Anchored",
      verdict: "VALID",
      supersededBy: null,
      batchRoot: null,
    });
    expect(byHash[registered.toLowerCase()].proof.blockNumber).to.be.a("number");
    expect(byHash[queuedHash]).to.deep.include({ stage: "queued", status: null, proof: null, batchRoot: null });
    expect(byHash[queuedHash].report).to.deep.include({ value: "1200000000", method: "Market", assetIds: [assetId] });
    expectStatus(await f.as("bank-a").get("/valuations"), 403);

    const publicCheck = (hash: string) => request(f.app).get(`/v1/public/valuations/${hash}`);
    const queued = await publicCheck(queuedHash);
    expectStatus(queued, 200);
    expect(queued.body).to.deep.include({ anchored: false, batch: { state: "queued", root: null } });
    expect((await publicCheck(registered)).body).to.deep.include({ anchored: true, batch: null });
    expect((await publicCheck(sha256(randomBytes(8)))).body).to.deep.include({ anchored: false, batch: null });
  });

  it("lists the known pools with their status and distributed periods", async () => {
    const f = await openPoolGateway();
    const before = await f.as("auditor").get("/pools");
    expectStatus(before, 200);
    expect(before.body.pools).to.deep.equal([
      { pool: f.poolAddress, status: "Active", periodsDistributed: 0, periods: f.config.periodEnds.length },
    ]);
    await afterPeriod(f.pool, 0);
    expectStatus(await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`), 201);
    const after = await f.as("originator").get("/pools");
    expect(after.body.pools[0]).to.deep.include({ pool: f.poolAddress, periodsDistributed: 1 });
    expectStatus(await f.as("evaluator").get("/pools"), 403);
  });
});
