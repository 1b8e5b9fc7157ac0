/**
 * /v1/assets and /v1/collateral through HTTP: the registrar records and maintains assets, anyone authenticated reads
 * them; keys, roles, validation, idempotency and decoded contract refusals behave as the API promises.
 */
import { expect } from "chai";
import request from "supertest";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";

const YEAR = 365 * 86_400;

/** A granted invention patent held by the first party, dated relative to the chain's clock. */
const patent = (f: GatewayFixture, officialNumber = "ZL202110012345.6") => ({
  kind: "InventionPatent",
  officialNumber,
  holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
  grantDate: Number(f.now) - 2 * YEAR,
  expiryDate: Number(f.now) + 15 * YEAR,
  feesPaidUntil: Number(f.now) + YEAR,
});

describe("gateway — IP assets", () => {
  it("records an asset for the registrar and returns its id with the transaction proof", async () => {
    const f = await openGateway();
    const res = await f.as("registration-office").post("/assets", patent(f));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const expectedId = (await f.contracts.assetRegister.assetIdOf(0, "ZL202110012345.6")).toLowerCase();
    expect(res.body.assetId).to.equal(expectedId);
    const receipt = await f.registry.provider.getTransactionReceipt(res.body.proof.transactionHash);
    expect(receipt!.blockNumber).to.equal(res.body.proof.blockNumber);
  });

  it("reads an asset by kind and number, with its holders, standing and history", async () => {
    const f = await openGateway();
    await f.as("registration-office").post("/assets", patent(f));
    const res = await f.as("bank-a").get("/assets?kind=InventionPatent&officialNumber=ZL202110012345.6");
    expect(res.status).to.equal(200);
    expect(res.body).to.include({
      kind: "InventionPatent",
      status: "Granted",
      standing: "IN_GOOD_STANDING",
      freeze: "None",
    });
    // A calendar date: the UTC day of the second given.
    expect(res.body.expiryDate).to.equal(new Date((Number(f.now) + 15 * YEAR) * 1000).toISOString().slice(0, 10));
    expect(res.body.holders).to.deep.equal([{ address: f.parties[0].address, shareBps: 10_000 }]);
    expect(res.body.history.map((e: { event: string }) => e.event)).to.deep.equal(["AssetRecorded", "HoldersRecorded"]);
  });

  it("records the registrar's maintenance steps and shows them in the asset's standing and history", async () => {
    const f = await openGateway();
    const { body } = await f.as("registration-office").post("/assets", patent(f));
    const office = f.as("registration-office");
    expect((await office.post(`/assets/${body.assetId}/freeze`, { freeze: "PreservationOrder" })).status).to.equal(200);
    const frozen = await f.as("auditor").get(`/assets/${body.assetId}`);
    expect([frozen.body.freeze, frozen.body.standing]).to.deep.equal(["PreservationOrder", "ASSET_FROZEN"]);
    expect(frozen.body.history.at(-1).event).to.equal("FreezeRecorded");
  });

  it("answers 401 without a key or with an unknown key, and 403 for the wrong role", async () => {
    const f = await openGateway();
    const none = await request(f.app).post("/v1/assets").send(patent(f));
    expect([none.status, none.body.error.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
    const unknown = await request(f.app).get("/v1/assets").set("Authorization", "Bearer ipr_nope");
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
    const bank = await f.as("bank-a").post("/assets", patent(f));
    expect([bank.status, bank.body.error.code]).to.deep.equal([403, "FORBIDDEN"]);
  });

  it("answers 400 VALIDATION_FAILED naming the field, for bad input and for malformed JSON", async () => {
    const f = await openGateway();
    const bad = await f
      .as("registration-office")
      .post("/assets", { ...patent(f), holders: [{ address: "0x12", shareBps: 1 }] });
    expect([bad.status, bad.body.error.code, bad.body.error.field]).to.deep.equal([
      400,
      "VALIDATION_FAILED",
      "holders.0.address",
    ]);
    const malformed = await request(f.app)
      .post("/v1/assets")
      .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
      .set("content-type", "application/json")
      .send("{not json");
    expect([malformed.status, malformed.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
    expect(JSON.stringify(malformed.body)).to.not.match(/at .*\.ts:\d+/);
  });

  it("answers 422 with the contract's refusal, and 404 for an asset not in the register", async () => {
    const f = await openGateway();
    await f.as("registration-office").post("/assets", patent(f));
    const again = await f.as("registration-office").post("/assets", patent(f));
    expect([again.status, again.body.error.code]).to.deep.equal([422, "ASSET_ALREADY_RECORDED"]);
    const missing = await f.as("bank-a").get(`/assets/0x${"ab".repeat(32)}`);
    expect([missing.status, missing.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
  });

  it("replays the first answer to a retried request with the same Idempotency-Key, sending no second transaction", async () => {
    const f = await openGateway();
    const send = () =>
      request(f.app)
        .post("/v1/assets")
        .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
        .set("Idempotency-Key", "office-2026-000123")
        .send(patent(f));
    const first = await send();
    const blockAfterFirst = await f.registry.provider.getBlockNumber();
    const retry = await send();
    expect(retry.status).to.equal(201);
    expect(retry.headers["idempotent-replayed"]).to.equal("true");
    expect(retry.body).to.deep.equal(first.body);
    expect(await f.registry.provider.getBlockNumber()).to.equal(blockAfterFirst);
    const other = await request(f.app)
      .post("/v1/assets")
      .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
      .set("Idempotency-Key", "office-2026-000123")
      .send(patent(f, "ZL202110099999.9"));
    expect([other.status, other.body.error.code]).to.deep.equal([409, "IDEMPOTENCY_KEY_REUSED"]);
  });

  it("answers the collateral question for a free asset", async () => {
    const f = await openGateway();
    const { body } = await f.as("registration-office").post("/assets", patent(f));
    const res = await f.as("bank-b").get(`/collateral/${body.assetId}`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ pledged: false, standing: "IN_GOOD_STANDING" });
    expect(res.body.pledge).to.equal(null);
  });

  it("serves its OpenAPI 3.1 document and docs page without a key", async () => {
    const f = await openGateway();
    const doc = await request(f.app).get("/v1/openapi.json");
    expect(doc.body.openapi).to.equal("3.1.0");
    expect(Object.keys(doc.body.paths)).to.include.members([
      "/v1/assets",
      "/v1/assets/{assetId}",
      "/v1/collateral/{assetId}",
    ]);
    const page = await request(f.app).get("/v1/docs");
    expect([page.status, page.type]).to.deep.equal([200, "text/html"]);
  });
});
