/**
 * The reads the web app's asset register and public lookup need: the register's assets searched and paged, each
 * asset's timeline with its events' times, and a registration notice's facts by registration number without a key.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import request from "supertest";
import { openGateway } from "./helpers/gatewayFixture";
import { PRINCIPAL, anchorReport, recordPatent, registeredPledge } from "./helpers/pledgeParties";
import { expectStatus } from "./helpers/poolParties";
import { KEYLESS_REQUESTS_PER_MINUTE } from "../../api/src/routes/keyless/router";

describe("gateway — the asset register and the public registration look-up", () => {
  it("searches the register newest first, by part of the number, kind and status, in pages", async () => {
    const f = await openGateway();
    const office = f.as("registration-office");
    const a = await recordPatent(f, "ZL202110011111.1", [f.parties[0]]);
    const b = await recordPatent(f, "ZL202110022222.2", [f.parties[0], f.parties[1]]);
    const c = await recordPatent(f, "ZL201920033333.3", [f.parties[1]], { kind: "UtilityModel" });
    expectStatus(await office.post(`/assets/${b}/status`, { status: "Lapsed" }), 200);

    const all = await f.as("bank-a").get("/assets/search");
    expectStatus(all, 200);
    expect(all.body.assets.map((x: { assetId: string }) => x.assetId)).to.deep.equal([c, b, a]);
    expect(all.body.assets[1]).to.deep.include({
      officialNumber: "ZL202110022222.2",
      kind: "InventionPatent",
      status: "Lapsed",
      holders: 2,
      freeze: "None",
    });
    expect(all.body.currentToBlock).to.be.a("number");

    const numbers = async (query: string) =>
      (await office.get(`/assets/search?${query}`)).body.assets.map(
        (x: { officialNumber: string }) => x.officialNumber,
      );
    expect(await numbers("q=zl202110")).to.deep.equal(["ZL202110022222.2", "ZL202110011111.1"]);
    expect(await numbers("q=3333")).to.deep.equal(["ZL201920033333.3"]);
    expect(await numbers("q=%25")).to.deep.equal([]); // a typed % is a percent sign, not a wildcard
    expect(await numbers("kind=UtilityModel")).to.deep.equal(["ZL201920033333.3"]);
    expect(await numbers("status=Granted")).to.deep.equal(["ZL201920033333.3", "ZL202110011111.1"]);

    const first = await office.get("/assets/search?limit=2");
    expect(first.body.assets).to.have.length(2);
    expect(first.body.nextCursor).to.be.a("string");
    const second = await office.get(`/assets/search?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.assets.map((x: { assetId: string }) => x.assetId)).to.deep.equal([a]);
    expect(second.body.nextCursor).to.equal(null);
    expectStatus(await office.get("/assets/search?cursor=nope"), 400);
  });

  it("dates every event of an asset's timeline with its block's time", async () => {
    const f = await openGateway();
    const office = f.as("registration-office");
    const assetId = await recordPatent(f, "ZL202110044444.4", [f.parties[0]]);
    await ethers.provider.send("evm_increaseTime", [86_400]);
    expectStatus(await office.post(`/assets/${assetId}/freeze`, { freeze: "OwnershipDispute" }), 200);
    const res = await office.get(`/assets/${assetId}`);
    expectStatus(res, 200);
    const history = res.body.history as { event: string; blockNumber: number; at: string }[];
    expect(history.map((e) => e.event)).to.deep.equal(["AssetRecorded", "HoldersRecorded", "FreezeRecorded"]);
    for (const e of history) {
      const block = await ethers.provider.getBlock(e.blockNumber);
      expect(e.at).to.equal(new Date(block!.timestamp * 1000).toISOString());
    }
    expect(Date.parse(history[2].at) - Date.parse(history[0].at)).to.be.at.least(86_400_000);
    // The same from the chain alone (no read model): the same times.
    const fromChain = await request(f.appWith(undefined))
      .get(`/v1/assets/${assetId}`)
      .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`);
    expect(fromChain.body.history.map((e: { at: string }) => e.at)).to.deep.equal(history.map((e) => e.at));
  });

  it("answers a registration number with the notice's facts and proof, without an API key", async () => {
    const f = await openGateway();
    const [holderA, holderB] = f.parties;
    const assetId = await recordPatent(f, "ZL202110055555.5", [holderA, holderB]);
    const reportId = await anchorReport(f, [assetId]);
    const pledgeId = await registeredPledge(f, { assets: [assetId], pledgors: [holderA, holderB], reportId });
    const p = f.contracts.pledgeRegistry;
    const [registered] = await p.queryFilter(p.filters.PledgeRegistered(BigInt(pledgeId)));
    const number = registered.args.registrationNumber.toString();

    const res = await request(f.app).get(`/v1/public/registrations/${number}`);
    expectStatus(res, 200);
    expect(res.body).to.deep.equal({
      registrationNumber: number,
      pledgeId,
      status: "Registered",
      registeredAt: new Date(Number(registered.args.registeredAt) * 1000).toISOString(),
      assets: [{ assetId, kind: "InventionPatent", officialNumber: "ZL202110055555.5" }],
      pledgors: [holderA.address, holderB.address],
      pledgee: f.signerOf["bank-a"].address,
      debtor: "91440101MA5CXYZ12K",
      principal: PRINCIPAL.toString(),
      currency: "CNY",
      startDate: new Date(Number(f.now) * 1000).toISOString().slice(0, 10),
      maturityDate: new Date((Number(f.now) + 365 * 86_400) * 1000).toISOString().slice(0, 10),
      valuationReportId: reportId,
      valuationVerdict: "VALID",
      proof: {
        registration: { transactionHash: registered.transactionHash, blockNumber: registered.blockNumber },
        latest: { transactionHash: registered.transactionHash, blockNumber: registered.blockNumber },
      },
    });

    const unknown = await request(f.app).get(`/v1/public/registrations/${BigInt(number) + 1000n}`);
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
    for (const bad of ["0", "01", "abc", "18446744073709551616"]) {
      const res = await request(f.app).get(`/v1/public/registrations/${bad}`);
      expect([bad, res.status, res.body.error.code]).to.deep.equal([bad, 400, "VALIDATION_FAILED"]);
    }
  });

  it("rate-limits the public registration look-up", async () => {
    const f = await openGateway();
    const app = f.appWith(undefined); // a fresh limiter
    const statuses: number[] = [];
    for (let i = 0; i <= KEYLESS_REQUESTS_PER_MINUTE; i++) {
      statuses.push((await request(app).get("/v1/public/registrations/0")).status);
    }
    expect(statuses.slice(0, KEYLESS_REQUESTS_PER_MINUTE).every((s) => s === 400)).to.equal(true);
    const last = await request(app).get("/v1/public/registrations/0");
    expect([statuses.at(-1), last.status, last.body.error.code]).to.deep.equal([429, 429, "RATE_LIMITED"]);
  });
});
