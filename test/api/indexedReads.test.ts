/**
 * Reads served from the read model: the collateral lookup asks the chain only what depends on its clock (counted
 * at the Hardhat provider, under the gateway's ethers provider and the indexer alike), a write is readable from the
 * index as soon as its answer is out, a lagging index falls back to the chain rather than answer stale, the pledge
 * lists page by a cursor, and an index rebuilt from events answers exactly as the live one.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import type { Express } from "express";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { indexFor } from "./helpers/sharedIndex";
import { openPoolGateway } from "./helpers/poolParties";
import {
  anchorReport,
  application,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
  valuationReport,
} from "./helpers/pledgeParties";
import { ZeroHash } from "ethers";
import { GatewayIndex } from "../../api/src/indexer/gatewayIndex";
import { buildApp } from "../../api/src/server";
import { STANDING, VALUATION_VERDICTS } from "../../definitions/enumNames";
import { openReadModel } from "../../api/src/indexer/readModel";
import { eip1193JsonRpc } from "../../api/src/indexer/jsonRpc";
import { rebuildProjections } from "../../api/src/indexer/follower";
import { rpcCallsDuring } from "./helpers/rpcCalls";

type Org = Parameters<GatewayFixture["as"]>[0];
const get = (f: GatewayFixture, app: Express, org: Org, path: string) =>
  request(app).get(`/v1${path}`).set("Authorization", `Bearer ${f.keyOf[org]}`);

/** A patent of the first party, valued, pledged to bank A and registered. */
async function pledgedPatent(f: GatewayFixture, officialNumber: string) {
  const assetId = await recordPatent(f, officialNumber, [f.parties[0]]);
  const reportId = await anchorReport(f, [assetId]);
  const pledgeId = await registeredPledge(f, { assets: [assetId], pledgors: [f.parties[0]], reportId });
  return { assetId, reportId, pledgeId };
}

describe("gateway — reads from the read model", () => {
  it("answers a collateral lookup with no chain call where the chain alone needs many, and the same answer", async () => {
    const f = await openGateway();
    const { assetId, pledgeId } = await pledgedPatent(f, "ZL202110055501.1");

    let indexed!: request.Response;
    const indexCalls = await rpcCallsDuring(async () => {
      indexed = await f.as("bank-b").get(`/collateral/${assetId}`);
    });
    expect(indexed.status, JSON.stringify(indexed.body)).to.equal(200);
    expect(indexed.body.pledge).to.include({ pledgeId, status: "Registered", valuationVerdict: "VALID" });
    expect(indexed.body.history.map((e: { event: string }) => e.event)).to.deep.equal([
      "PledgeApplied",
      "PledgeRegistered",
    ]);
    // The standing and the verdict are judged at the head block's time, which the index holds: no chain call.
    expect(indexCalls).to.deep.equal([]);
    expect(indexed.body.currentToBlock).to.equal(await f.registry.provider.getBlockNumber());

    let fromChain!: request.Response;
    const chainCalls = await rpcCallsDuring(async () => {
      fromChain = await get(f, f.appWith(undefined), "bank-b", `/collateral/${assetId}`);
    });
    expect(chainCalls.length).to.be.greaterThan(10);
    expect({ ...fromChain.body, currentToBlock: indexed.body.currentToBlock }).to.deep.equal(indexed.body);
    expect(fromChain.body.currentToBlock).to.equal(null);
  });

  it("judges the standing and the verdict at the head block's time as the contracts do, as the clock runs", async () => {
    const f = await openGateway();
    const { assetId, pledgeId } = await pledgedPatent(f, "ZL202110055521.1");
    const free = await recordPatent(f, "ZL202110055522.2", [f.parties[1]]);
    const YEAR = 365 * 86_400;
    // Fees are paid for a year and the report is valid for two: in force, then fees unpaid, then the report expired.
    const seen: string[] = [];
    for (const years of [0, 1.5, 1]) {
      if (years) await time.increase(Math.round(years * YEAR));
      const index = await indexFor(f.deployment);
      const app = f.appWith(index);
      for (const asset of [assetId, free]) {
        const indexed = await get(f, app, "bank-b", `/collateral/${asset}`);
        expect(indexed.status, JSON.stringify(indexed.body)).to.equal(200);
        // The contracts, asked directly at the same block.
        const blockTag = indexed.body.currentToBlock;
        const standing = await f.contracts.assetRegister.standingOf(asset, { blockTag });
        const status = await f.contracts.pledgeRegistry.collateralStatusOf(asset, { blockTag });
        expect(indexed.body.standing).to.equal(STANDING[Number(standing)]);
        expect(indexed.body.pledged).to.equal(status.pledged);
        if (status.pledged) {
          expect(indexed.body.pledge).to.include({
            pledgeId: status.pledgeId.toString(),
            principal: status.principal.toString(),
            registrationNumber: status.registrationNumber.toString(),
            valuationVerdict: VALUATION_VERDICTS[Number(status.valuationVerdict)],
          });
          seen.push(`${indexed.body.standing} ${indexed.body.pledge.valuationVerdict}`);
        }
        // And the chain-served answer is the same but for currentToBlock.
        const fromChain = await get(f, f.appWith(undefined), "bank-b", `/collateral/${asset}`);
        expect({ ...fromChain.body, currentToBlock: blockTag }).to.deep.equal(indexed.body);
      }
      expect((await get(f, app, "bank-b", `/collateral/${assetId}`)).body.pledge.pledgeId).to.equal(pledgeId);
    }
    expect(seen).to.deep.equal(["IN_GOOD_STANDING VALID", "ANNUAL_FEE_UNPAID VALID", "ANNUAL_FEE_UNPAID EXPIRED"]);
  });

  it("reads a report and verifies a file from the index as the register records them, superseded or not", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110055531.1", [f.parties[0]]);
    const older = await anchorReport(f, [assetId], "first valuation");
    const evaluator = f.signerOf.evaluator;
    const renewed = { ...valuationReport(f, evaluator.address, [assetId], "renewed valuation"), supersedes: older };
    await (await f.contracts.valuationRegistry.connect(evaluator).anchor(renewed)).wait();
    const index = await indexFor(f.deployment);
    const [indexed, fromChain] = [f.appWith(index), f.appWith(undefined)];
    const blockTag = (await index.currentTo())!;
    for (const hash of [older, renewed.documentHash]) {
      const read = await get(f, indexed, "bank-a", `/valuations/${hash}`);
      expect(read.status, JSON.stringify(read.body)).to.equal(200);
      expect(read.body.currentToBlock).to.equal(blockTag);
      const [record, batchRoot, supersededBy] = await f.contracts.valuationRegistry.reportOf(hash, { blockTag });
      const verdict = await f.contracts.valuationRegistry.verdictFor(hash, [assetId], { blockTag });
      const anchoredAt = new Date(Number(record.anchoredAt) * 1000).toISOString();
      expect(read.body).to.include({
        evaluator: record.evaluator,
        status: ["None", "Anchored", "Revoked", "Superseded"][Number(record.status)],
        verdict: VALUATION_VERDICTS[Number(verdict)],
        anchoredAt,
        batchRoot: batchRoot === ZeroHash ? null : batchRoot,
        supersededBy: supersededBy === ZeroHash ? null : supersededBy,
      });
      const chainRead = await get(f, fromChain, "bank-a", `/valuations/${hash}`);
      expect({ ...chainRead.body, currentToBlock: blockTag }).to.deep.equal(read.body);
    }
    const verify = (app: Express) =>
      request(app)
        .post("/v1/valuations/verify")
        .set("Authorization", `Bearer ${f.keyOf.auditor}`)
        .set("Content-Type", "application/octet-stream")
        .send(Buffer.from("renewed valuation"));
    const verified = await verify(indexed);
    expect(verified.body).to.include({ documentHash: renewed.documentHash, status: "Anchored", verdict: "VALID" });
    expect({ ...(await verify(fromChain)).body, currentToBlock: blockTag }).to.deep.equal(verified.body);
  });

  it("reads a write back at once (read-your-writes), and from the chain when the index cannot catch up in time", async () => {
    const f = await openGateway();
    const recorded = await f.as("registration-office").post("/assets", {
      kind: "Trademark",
      officialNumber: "TM-55502",
      holders: [{ address: f.parties[1].address, shareBps: 10_000 }],
      grantDate: "2024-03-01",
      expiryDate: "2034-03-01",
    });
    expect(recorded.status, JSON.stringify(recorded.body)).to.equal(201);
    const asset = await f.as("bank-a").get(`/assets/${recorded.body.assetId}`);
    expect(asset.status, JSON.stringify(asset.body)).to.equal(200);
    expect(asset.body.currentToBlock).to.be.at.least(recorded.body.proof.blockNumber);
    expect(asset.body.history.map((e: { event: string }) => e.event)).to.deep.equal([
      "AssetRecorded",
      "HoldersRecorded",
    ]);

    // An index whose follower never gets there: the write is answered after the wait, and reads use the chain.
    const live = await indexFor(f.deployment);
    const stuck = new GatewayIndex(
      {
        db: live.db,
        rpc: live.model.rpc,
        follower: Object.assign(Object.create(live.model.follower), {
          syncOnce: async () => live.model.follower.headBlock(),
          waitForBlock: async () => {
            throw new Error("the index did not get there");
          },
        }),
      },
      0,
    );
    const app = f.appWith(stuck);
    const lapsed = await request(app)
      .post(`/v1/assets/${recorded.body.assetId}/status`)
      .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
      .send({ status: "Lapsed" });
    expect(lapsed.status, JSON.stringify(lapsed.body)).to.equal(200);
    const read = await get(f, app, "bank-a", `/assets/${recorded.body.assetId}`);
    expect([read.body.status, read.body.currentToBlock]).to.deep.equal(["Lapsed", null]);
    expect(read.body.history.map((e: { event: string }) => e.event)).to.include("AssetStatusRecorded");
    // A list only the index can answer says so rather than answer without the write.
    const list = await get(f, app, "bank-a", `/pledges`);
    expect([list.status, list.body.error?.code]).to.deep.equal([503, "INDEX_BEHIND"]);
  });

  it("lists pledges by bank, pledgor, asset and status, a page at a time", async () => {
    const f = await openGateway();
    const [alice, bob] = f.parties;
    const a1 = await recordPatent(f, "ZL202110055511.1", [alice]);
    const a2 = await recordPatent(f, "ZL202110055512.2", [alice]);
    const a3 = await recordPatent(f, "ZL202110055513.3", [bob]);
    const reportId = await anchorReport(f, [a1, a2, a3]);
    const p1 = await registeredPledge(f, { assets: [a1], pledgors: [alice], reportId });
    const submit = async (assets: string[], pledgors: typeof f.parties, bank: "bank-a" | "bank-b") => {
      const draft = await preparedAndSigned(
        f,
        application(f, { assets, pledgors, reportId }),
        [...pledgors, f.signerOf[bank]],
        bank,
      );
      const submitted = await f.as(bank).post(`/pledges/applications/${draft.draftId}/submit`);
      expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
      return submitted.body.pledgeId as string;
    };
    const p2 = await submit([a2], [alice], "bank-a");
    const p3 = await submit([a3], [bob], "bank-b");
    const bankA = f.signerOf["bank-a"].address;

    const ids = (res: request.Response) => res.body.pledges.map((p: { pledgeId: string }) => p.pledgeId);
    const first = await f.as("auditor").get(`/pledges?pledgee=${bankA}&limit=1`);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect([ids(first), first.body.nextCursor]).to.deep.equal([[p1], p1]);
    const second = await f.as("auditor").get(`/pledges?pledgee=${bankA}&limit=1&cursor=${first.body.nextCursor}`);
    expect([ids(second), second.body.nextCursor]).to.deep.equal([[p2], null]);
    expect(second.body.pledges[0]).to.deep.include({ status: "Pending", assets: [a2], pledgors: [alice.address] });

    expect(ids(await f.as("auditor").get(`/pledges?pledgor=${alice.address.toLowerCase()}`))).to.deep.equal([p1, p2]);
    expect(ids(await f.as("auditor").get(`/pledges?asset=${a3}`))).to.deep.equal([p3]);
    expect(ids(await f.as("auditor").get(`/pledges?status=Pending`))).to.deep.equal([p2, p3]);
    expect(ids(await f.as("auditor").get(`/pledges?status=Registered&pledgee=${bankA}`))).to.deep.equal([p1]);
    expect(ids(await f.as("auditor").get(`/pledges?status=Released`))).to.deep.equal([]);
    const all = await f.as("auditor").get(`/pledges`);
    expect([ids(all), all.body.nextCursor, all.body.currentToBlock]).to.deep.equal([
      [p1, p2, p3],
      null,
      await f.registry.provider.getBlockNumber(),
    ]);
    const bad = await f.as("auditor").get(`/pledges?limit=0`);
    expect([bad.status, bad.body.error.field]).to.deep.equal([400, "query.limit"]);

    // The office's queue, from the index: the two pending applications, each with what it would fail now.
    const queue = await f.as("registration-office").get("/pledges/queue");
    expect(queue.body.applications.map((a: { pledgeId: string }) => a.pledgeId)).to.deep.equal([p2, p3]);
    expect(queue.body.currentToBlock).to.be.a("number");
  });

  it("answers a bank's pledge list in one query, cached until the index's head moves", async () => {
    const f = await openGateway();
    const [alice] = f.parties;
    const a1 = await recordPatent(f, "ZL202110055521.1", [alice]);
    const a2 = await recordPatent(f, "ZL202110055522.2", [alice]);
    const reportId = await anchorReport(f, [a1, a2]);
    const p1 = await registeredPledge(f, { assets: [a1], pledgors: [alice], reportId });
    // The same index, its database counting the queries sent to it.
    let queries = 0;
    const counting = f.index.model.db.withPlugin({
      transformQuery: (args) => (queries++, args.node),
      transformResult: async (args) => args.result,
    });
    const index = new GatewayIndex({ ...f.index.model, db: counting }, 10_000);
    const app = buildApp({ ...f.parts, records: f.records, index });
    const bankA = f.signerOf["bank-a"].address;
    const list = async () => {
      const before = queries;
      const res = await get(f, app, "bank-a", `/pledges?pledgee=${bankA}&limit=10`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return { body: res.body, queries: queries - before };
    };

    const first = await list();
    expect(first.queries, "queries for one page").to.equal(1);
    expect(first.body.pledges.map((p: { pledgeId: string }) => p.pledgeId)).to.deep.equal([p1]);
    expect(first.body.pledges[0]).to.deep.include({ assets: [a1], pledgors: [alice.address], status: "Registered" });
    const again = await list();
    expect([again.queries, again.body]).to.deep.equal([0, first.body]);

    // A new block (another pledge of the bank): the cached page is not answered any more.
    const p2 = await registeredPledge(f, { assets: [a2], pledgors: [alice], reportId });
    const after = await list();
    expect(after.queries).to.equal(1);
    expect(after.body.pledges.map((p: { pledgeId: string }) => p.pledgeId)).to.deep.equal([p1, p2]);
    expect(after.body.currentToBlock).to.equal(await f.registry.provider.getBlockNumber());
  });

  it("lists valuation reports by evaluator, state and asset, a page at a time", async () => {
    const f = await openGateway();
    const a1 = await recordPatent(f, "ZL202110055531.1", [f.parties[0]]);
    const a2 = await recordPatent(f, "ZL202110055532.2", [f.parties[0]]);
    // The evaluator anchors with its own wallet: a write the gateway did not make, indexed by the follower's poll.
    const r1 = await anchorReport(f, [a1], "report one");
    const r2 = await anchorReport(f, [a1, a2], "report two");
    const r3 = await anchorReport(f, [a2], "report three");
    await (await indexFor(f.deployment)).model.follower.syncOnce();
    const revoked = await f.as("registration-office").post(`/valuations/${r2}/revoke`, { reason: "wrong figures" });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);

    const hashes = (res: request.Response) => res.body.reports.map((r: { documentHash: string }) => r.documentHash);
    const evaluator = f.signerOf.evaluator.address;
    const first = await f.as("bank-a").get(`/valuations/reports?evaluator=${evaluator}&limit=2`);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(hashes(first)).to.deep.equal([r1, r2]);
    const second = await f
      .as("bank-a")
      .get(`/valuations/reports?evaluator=${evaluator}&limit=2&cursor=${first.body.nextCursor}`);
    expect([hashes(second), second.body.nextCursor]).to.deep.equal([[r3], null]);
    expect(first.body.reports[1]).to.deep.include({
      status: "Revoked",
      assetIds: [a1, a2],
      evaluator,
      value: "250000000",
      currency: "CNY",
      method: "Income",
      batchRoot: null,
    });
    expect(hashes(await f.as("bank-a").get(`/valuations/reports?status=Anchored`))).to.deep.equal([r1, r3]);
    expect(hashes(await f.as("bank-a").get(`/valuations/reports?asset=${a2}`))).to.deep.equal([r2, r3]);
    expect(hashes(await f.as("bank-a").get(`/valuations/reports?asset=${a2}&status=Revoked`))).to.deep.equal([r2]);
    expect(hashes(await f.as("bank-a").get(`/valuations/reports?evaluator=${f.parties[0].address}`))).to.deep.equal([]);
  });

  it("reads a first licence and a sub-licence assigned to a pool from the index, as the chain's views tell them", async () => {
    const f = await openPoolGateway();
    const { firstLicenceId, subLicenceId } = f.licences;
    for (const id of [firstLicenceId, subLicenceId]) {
      let indexed!: request.Response;
      const calls = await rpcCallsDuring(async () => {
        indexed = await f.as("auditor").get(`/licences/${id}`);
      });
      expect(indexed.status, JSON.stringify(indexed.body)).to.equal(200);
      expect(calls).to.deep.equal([]);
      expect(indexed.body.currentToBlock).to.equal(await f.registry.provider.getBlockNumber());
      const fromChain = await get(f, f.appWith(undefined), "auditor", `/licences/${id}`);
      expect({ ...fromChain.body, currentToBlock: indexed.body.currentToBlock }).to.deep.equal(indexed.body);
    }
    const missing = await f.as("auditor").get("/licences/999");
    expect([missing.status, missing.body.error.field]).to.deep.equal([404, "params.licenceId"]);

    // The lists: each licence as its own page shows it, filtered by licensee, asset, pool and kind, in pages.
    const one = async (id: string) => {
      const { currentToBlock, ...view } = (await f.as("auditor").get(`/licences/${id}`)).body;
      void currentToBlock;
      return view;
    };
    const [first, sub] = [await one(firstLicenceId.toString()), await one(subLicenceId.toString())];
    const list = async (query: string) => {
      const res = await f.as("auditor").get(`/licences?${query}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body;
    };
    expect((await list("")).licences).to.deep.equal([first, sub]);
    expect((await list(`licensee=${sub.licensee}`)).licences).to.deep.equal([sub]);
    expect((await list(`asset=${first.assets[0]}&kind=Sub`)).licences).to.deep.equal([sub]);
    expect((await list(`pool=${sub.pool}`)).licences).to.deep.equal([sub]);
    const page = await list("limit=1");
    expect([page.licences, page.nextCursor]).to.deep.equal([[first], firstLicenceId.toString()]);
    const next = await list(`limit=1&cursor=${page.nextCursor}`);
    expect([next.licences, next.nextCursor]).to.deep.equal([[sub], null]);
  });

  it("answers from an index rebuilt from events exactly as from the live one, after a story", async () => {
    const f = await openGateway();
    const { assetId: pledged, reportId } = await pledgedPatent(f, "ZL202110055521.1");
    const free = await recordPatent(f, "ZL202110055522.2", [f.parties[1]]);
    const office = f.as("registration-office");
    expect((await office.post(`/assets/${free}/annual-fees`, { paidUntil: "2040-01-01" })).status).to.equal(200);

    const model = await openReadModel({
      deployment: f.deployment,
      rpc: eip1193JsonRpc(network.provider),
      follow: false,
    });
    try {
      await model.follower.syncOnce();
      await rebuildProjections(model.db);
      const rebuilt = f.appWith(new GatewayIndex(model, 10_000));
      const paths = [
        `/collateral/${pledged}`,
        `/collateral/${free}`,
        `/assets/${pledged}`,
        `/assets/${free}`,
        "/pledges",
        "/pledges/queue",
        "/valuations/reports",
        `/valuations/${reportId}`,
      ];
      const fromChain = f.appWith(undefined);
      for (const path of paths) {
        const live = await f.as("registration-office").get(path);
        const again = await get(f, rebuilt, "registration-office", path);
        expect(live.status, `${path}: ${JSON.stringify(live.body)}`).to.equal(200);
        expect(again.body, path).to.deep.equal(live.body);
      }
      for (const path of [`/valuations/${reportId}`, `/collateral/${pledged}`]) {
        const live = await f.as("registration-office").get(path);
        const chain = await get(f, fromChain, "registration-office", path);
        expect({ ...chain.body, currentToBlock: live.body.currentToBlock }, path).to.deep.equal(live.body);
      }
    } finally {
      await model.close();
    }
  });
});
