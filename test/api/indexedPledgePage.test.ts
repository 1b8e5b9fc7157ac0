/**
 * The pledge page (GET /v1/pledges/{id}) served from the read model: no chain call once its blocks' times are cached,
 * the same answer as the chain's views and logs give (the same route with no index), for a pledge at each stage —
 * pending, registered, refused, released, and disposed under a risk scheme (its disposal and loss split) — and the
 * same from an index rebuilt from events.
 */
import { expect } from "chai";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import type { Express } from "express";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { indexFor } from "./helpers/sharedIndex";
import { rpcCallsDuring } from "./helpers/rpcCalls";
import {
  PRINCIPAL,
  anchorReport,
  application,
  docHash,
  partyStep,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
} from "./helpers/pledgeParties";
import { withRebuiltIndex } from "./helpers/rebuiltIndex";

const read = (f: GatewayFixture, app: Express, path: string) =>
  request(app).get(`/v1${path}`).set("Authorization", `Bearer ${f.keyOf.auditor}`);

/** Five pledges, one at each stage; returns their ids by stage. */
async function pledgesAtEachStage(f: GatewayFixture) {
  const [holder] = f.parties;
  const bank = f.signerOf["bank-a"];
  const patent = async (n: number) => {
    const assetId = await recordPatent(f, `ZL20211006600${n}.${n}`, [holder]);
    return { assets: [assetId], pledgors: [holder], reportId: await anchorReport(f, [assetId], `report ${n}`) };
  };
  const submitted = async (parts: Awaited<ReturnType<typeof patent>>) => {
    const draft = await preparedAndSigned(f, application(f, parts), [holder, bank]);
    const res = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.pledgeId as string;
  };
  const pending = await submitted(await patent(1));
  const refused = await submitted(await patent(2));
  const refusal = await f.as("registration-office").post(`/pledges/${refused}/refuse`, { note: "unreadable scan" });
  expect(refusal.status, JSON.stringify(refusal.body)).to.equal(200);
  const registered = await registeredPledge(f, await patent(3));
  const released = await registeredPledge(f, await patent(4));
  expect((await partyStep(f, "bank-a", released, "release", {}, [bank])).status).to.equal(200);
  const disposed = await registeredPledge(f, await patent(5), "bank-a", { riskScheme: "zhongshan" });
  const evidenceHash = docHash("overdue notice");
  expect((await partyStep(f, "bank-a", disposed, "default", { evidenceHash }, [bank])).status).to.equal(200);
  const disposal = { method: "Transfer", proceeds: (PRINCIPAL / 3n).toString(), transferee: f.parties[4].address };
  const sold = await partyStep(f, "bank-a", disposed, "disposal", { ...disposal, evidenceHash: docHash("sale") }, [
    bank,
  ]);
  expect(sold.status, JSON.stringify(sold.body)).to.equal(200);
  return { pending, refused, registered, released, disposed };
}

describe("gateway — the pledge page from the read model", () => {
  it("answers it with no chain call, as the chain's views and logs do, at every stage of a pledge", async () => {
    const f = await openGateway();
    const ids = await pledgesAtEachStage(f);
    const chainApp = f.appWith(undefined);
    // The first reads cache their blocks' times (block_times); a new block then drops the cached answers.
    for (const id of Object.values(ids)) expect((await f.as("auditor").get(`/pledges/${id}`)).status).to.equal(200);
    await mine(1);
    await (await indexFor(f.deployment)).model.follower.syncOnce();
    const head = await f.registry.provider.getBlockNumber();

    for (const [stage, id] of Object.entries(ids)) {
      let indexed!: request.Response;
      const calls = await rpcCallsDuring(async () => {
        indexed = await f.as("auditor").get(`/pledges/${id}`);
      });
      expect(indexed.status, `${stage}: ${indexed.text}`).to.equal(200);
      expect(calls, stage).to.deep.equal([]);
      expect(indexed.body.currentToBlock, stage).to.equal(head);
      const fromChain = await read(f, chainApp, `/pledges/${id}`);
      expect(fromChain.body.currentToBlock, stage).to.equal(null);
      expect({ ...fromChain.body, currentToBlock: head }, stage).to.deep.equal(indexed.body);
    }

    // What the pages hold, from the story itself.
    const page = async (id: string) => (await f.as("auditor").get(`/pledges/${id}`)).body;
    expect((await page(ids.pending)).status).to.equal("Pending");
    expect((await page(ids.refused)).closedAt).to.be.a("string");
    expect((await page(ids.registered)).closedAt).to.equal(null);
    const disposed = await page(ids.disposed);
    const loss = PRINCIPAL - PRINCIPAL / 3n;
    expect(disposed.disposal).to.include({ method: "Transfer", transferee: f.parties[4].address, loss: String(loss) });
    expect(disposed.lossSharing).to.deep.include({ scheme: "zhongshan", loss: String(loss) });
    expect(disposed.lossSharing.parties.map((p: { name: string }) => p.name)).to.deep.equal([
      "fund",
      "insurer",
      "ip-service-firm",
    ]);
    const missing = await f.as("auditor").get(`/pledges/999999`);
    expect([missing.status, missing.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
  });

  it("answers it from an index rebuilt from events exactly as from the live one", async () => {
    const f = await openGateway();
    const ids = await pledgesAtEachStage(f);
    await withRebuiltIndex(f.deployment, async (index) => {
      const rebuilt = f.appWith(index);
      for (const [stage, id] of Object.entries(ids)) {
        const live = await f.as("auditor").get(`/pledges/${id}`);
        expect(live.status, `${stage}: ${live.text}`).to.equal(200);
        expect((await read(f, rebuilt, `/pledges/${id}`)).body, stage).to.deep.equal(live.body);
      }
    });
  });
});
