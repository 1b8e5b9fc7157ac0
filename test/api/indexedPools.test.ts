/**
 * The auditor's trace and a distributed period's reconciliation served from the read model: no chain call once the
 * payments' block times are cached, the same answers as the chain's views and logs give (the chain path of the same
 * routes, with no index), and the same from an index rebuilt from events.
 */
import { expect } from "chai";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import type { Express } from "express";
import { indexFor } from "./helpers/sharedIndex";
import { afterPeriod, expectStatus, openPoolGateway } from "./helpers/poolParties";
import { rpcCallsDuring } from "./helpers/rpcCalls";
import { withRebuiltIndex } from "./helpers/rebuiltIndex";

type PoolGateway = Awaited<ReturnType<typeof openPoolGateway>>;

const read = (f: PoolGateway, app: Express, path: string) =>
  request(app).get(`/v1${path}`).set("Authorization", `Bearer ${f.keyOf.auditor}`);

/** A pool past its first distribution, with a claim by the senior investor (its own transaction). */
async function distributedPool() {
  const f = await openPoolGateway();
  await afterPeriod(f.pool, 0);
  expectStatus(await f.as("bank-a").post(`/pools/${f.poolAddress}/distribute`), 201);
  await (await f.pool.connect(f.people.investor).claim(0)).wait();
  await (await indexFor(f.deployment)).model.follower.syncOnce();
  return f;
}

const pathsOf = (pool: string) => [
  `/pools/${pool}/trace`,
  `/pools/${pool}/reconciliation?period=1`,
  `/pools/${pool}/reconciliation.csv?period=1`,
];

/** The body as JSON, or the CSV's text. */
const bodyOf = (res: request.Response) => (res.type === "text/csv" ? res.text : res.body);

describe("gateway — the pool's trace and reconciliation from the read model", () => {
  it("answers them with no chain call, as the chain's views and logs do", async () => {
    const f = await distributedPool();
    const chainApp = f.appWith(undefined);
    // The first trace caches the payments' block times (block_times); a new block then drops the cached answers.
    for (const path of pathsOf(f.poolAddress)) expectStatus(await f.as("auditor").get(path), 200);
    await mine(1);
    await (await indexFor(f.deployment)).model.follower.syncOnce();
    const head = await f.registry.provider.getBlockNumber();

    for (const path of pathsOf(f.poolAddress)) {
      let indexed!: request.Response;
      const calls = await rpcCallsDuring(async () => {
        indexed = await f.as("auditor").get(path);
      });
      expect(indexed.status, `${path}: ${indexed.text}`).to.equal(200);
      expect(calls, path).to.deep.equal([]);
      let fromChain!: request.Response;
      const chainCalls = await rpcCallsDuring(async () => {
        fromChain = await read(f, chainApp, path);
      });
      expect(chainCalls.length, path).to.be.greaterThan(5);
      if (!path.endsWith("/trace")) {
        // A period's reconciliation is a fact of the period's block (which it names): the same bytes either way.
        expect(indexed.text, path).to.equal(fromChain.text);
        continue;
      }
      expect(indexed.body.currentToBlock, path).to.equal(head);
      expect(fromChain.body.currentToBlock, path).to.equal(null);
      expect({ ...fromChain.body, currentToBlock: head }, path).to.deep.equal(indexed.body);
    }

    // What the trace holds, from the test's own story: one payment, distributed in period 1, and the claim.
    const trace = (await f.as("auditor").get(`/pools/${f.poolAddress}/trace`)).body;
    expect(trace.asOf.blockNumber).to.equal(head);
    const [payment] = trace.receivables[0].instalments[0].payments;
    expect(payment).to.include({ payer: f.people.licensee.address, amount: "30000000", late: false });
    expect(payment.distributedIn.period).to.equal(1);
    expect(trace.tranches[0].claims.map((c: { holder: string }) => c.holder)).to.deep.equal([
      f.people.investor.address,
    ]);
    const missing = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=2`);
    expect([missing.status, missing.body.error.field]).to.deep.equal([404, "query.period"]);
  });

  it("answers them from an index rebuilt from events exactly as from the live one", async () => {
    const f = await distributedPool();
    await withRebuiltIndex(f.deployment, async (index) => {
      const rebuilt = f.appWith(index);
      for (const path of pathsOf(f.poolAddress)) {
        const live = await f.as("auditor").get(path);
        expect(live.status, `${path}: ${live.text}`).to.equal(200);
        expect(bodyOf(await read(f, rebuilt, path)), path).to.deep.equal(bodyOf(live));
      }
    });
  });
});
