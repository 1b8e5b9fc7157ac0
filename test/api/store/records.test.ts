/**
 * The gateway's records (store/records.ts) where several gateways share them: each gateway is its own connection
 * pool on one PostgreSQL server (started by this file; never skipped), and concurrent read-modify-write changes
 * through both lose nothing, insert nothing twice and never overwrite what they did not read. The same on PGlite,
 * where changes of one process take turns.
 */
import { expect } from "chai";
import { openDatabase, type ReadModelDatabase } from "../../../api/src/store/database";
import { sql, type Kysely } from "kysely";
import { databaseRecords, openDraftsQuery, type RecordStore } from "../../../api/src/store/records";
import type { ReadModel } from "../../../api/src/store/schema";
import { pruneRecords, startRecordSweep } from "../../../api/src/store/prune";
import { startPostgres, type PostgresServer } from "./postgresServer";

/** `count` increments of one counter, spread over the stores, all at once. */
async function incrementConcurrently(stores: RecordStore[], count: number) {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      stores[i % stores.length].change(async (tx) => {
        const current = (await tx.get<{ n: number; by: number[] }>("counter", "c")) ?? { n: 0, by: [] };
        // Give the other gateway's transactions time to interleave between the read and the write.
        await new Promise((resolve) => setTimeout(resolve, 1));
        await tx.put("counter", "c", { n: current.n + 1, by: [...current.by, i] });
      }),
    ),
  );
}

/** Each store adds its own signature to one draft at the same time. */
async function signConcurrently(stores: RecordStore[], signers: number) {
  await stores[0].put("draft", "d", { signatures: {} });
  await Promise.all(
    Array.from({ length: signers }, (_, i) =>
      stores[i % stores.length].change(async (tx) => {
        const draft = (await tx.get<{ signatures: Record<string, string> }>("draft", "d"))!;
        await tx.put("draft", "d", { signatures: { ...draft.signatures, [`signer${i}`]: `sig${i}` } });
      }),
    ),
  );
}

/**
 * Drafts of several parties, open and submitted, addresses in both spellings: `openDraftsOf` finds exactly a party's
 * open ones, and among thousands of others the database answers it from the indexes of migration records_21.
 */
async function openDraftsByParty(db: Kysely<ReadModel>, scope: string) {
  const store = databaseRecords(db, scope);
  const bank = { id: "bank-a", address: "0x" + "ab".repeat(20) };
  const other = "0x" + "cd".repeat(20);
  const signer = (address: string) => ({ address, role: "pledgor", nonce: "0", deadline: "1" });
  const drafts = {
    drafted: { draftId: "d1", createdBy: "bank-a", signers: [signer(other)] },
    signs: { draftId: "d2", createdBy: "bank-b", signers: [signer(other), signer(bank.address.toUpperCase())] },
    submitted: { draftId: "d3", createdBy: "bank-a", signers: [signer(bank.address)], submitted: { pledgeId: "1" } },
    strangers: { draftId: "d4", createdBy: "bank-b", signers: [signer(other)] },
  };
  for (const draft of Object.values(drafts)) await store.put("pledge-drafts", draft.draftId, draft);
  await store.put("licence-drafts", "l1", { draftId: "l1", createdBy: "bank-a", signers: [] });
  expect(await store.openDraftsOf("pledge-drafts", bank)).to.deep.equal([drafts.drafted, drafts.signs]);
  expect(await store.openDraftsOf("pledge-drafts", { id: "auditor", address: other })).to.deep.equal([
    drafts.drafted,
    drafts.signs,
    drafts.strangers,
  ]);
  // Among many other drafts, the planner finds the party's through the indexes rather than reading them all.
  await sql`insert into gateway_records (scope, kind, id, value, version)
    select ${scope}::text, 'pledge-drafts', 'x' || n, jsonb_build_object('draftId', 'x' || n, 'createdBy', 'bank-' || n,
      'signers', jsonb_build_array(jsonb_build_object('address', ${other}::text))), 1
    from generate_series(1, 5000) n`.execute(db);
  await sql`analyze gateway_records`.execute(db);
  const text = JSON.stringify(await openDraftsQuery(db, scope, "pledge-drafts", bank).explain());

  expect(text).to.match(/gateway_records_by_creator/);
  expect(text).to.match(/gateway_records_by_signer/);
}

const HOUR = 3_600_000;

/**
 * Expiry with an injected clock: idempotency records older than the retention and prepared transactions past their
 * window go, everything else stays; sweeping through several gateways at once deletes each once.
 */
async function expiry(dbs: Kysely<ReadModel>[], scope: string) {
  const store = databaseRecords(dbs[0], scope);
  const now = Date.now();
  await store.put("idempotency", "answered", { state: "done", requestHash: "h", status: 200, body: {} });
  await store.put("idempotency", "running", {
    state: "in-progress",
    requestHash: "h",
    renewedAt: now,
    transactions: [],
  });
  await store.put("prepared-transactions", "closed", { count: 1, expiresAt: now + 1 * HOUR });
  await store.put("prepared-transactions", "open", { count: 1, expiresAt: now + 30 * HOUR });
  await store.put("pledge-drafts", "d", { draftId: "d", createdBy: "bank-a", signers: [] });
  const retention = { idempotencyMs: 24 * HOUR };
  const ids = async (kind: string) =>
    (
      await dbs[0]
        .selectFrom("gateway_records")
        .select("id")
        .where("scope", "=", scope)
        .where("kind", "=", kind)
        .orderBy("id")
        .execute()
    ).map((r) => r.id);

  // Now: nothing has expired.
  expect(await pruneRecords(dbs[0], scope, { ...retention, now: () => now })).to.deep.equal({
    idempotency: 0,
    prepared: 0,
  });
  // Two hours on: the closed prepared transaction goes, from whichever gateway sweeps first.
  const later = { ...retention, now: () => now + 2 * HOUR };
  const swept = await Promise.all(dbs.map((db) => pruneRecords(db, scope, later)));
  expect(swept.reduce((sum, d) => sum + d.prepared, 0)).to.equal(1);
  expect(await ids("prepared-transactions")).to.deep.equal(["open"]);
  expect(await ids("idempotency")).to.deep.equal(["answered", "running"]);
  // A day and an hour on: both idempotency records too; the open prepared one and the draft stay.
  const dayLater = { ...retention, now: () => now + 25 * HOUR };
  const second = await Promise.all(dbs.map((db) => pruneRecords(db, scope, dayLater)));
  expect(second.reduce((sum, d) => sum + d.idempotency, 0)).to.equal(2);
  expect(await ids("idempotency")).to.deep.equal([]);
  expect(await ids("prepared-transactions")).to.deep.equal(["open"]);
  expect(await ids("pledge-drafts")).to.deep.equal(["d"]);

  // The periodic sweep: runs at once and every interval, and not after stop().
  await store.put("idempotency", "again", { state: "done", requestHash: "h", status: 200, body: {} });
  const sweeps: number[] = [];
  const sweep = startRecordSweep(dbs[0], {
    ...dayLater,
    scope,
    intervalMs: 20,
    onSwept: (d) => sweeps.push(d.idempotency),
  });
  while (sweeps.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
  await sweep.stop();
  const stoppedAt = sweeps.length;
  expect(sweeps[0]).to.equal(1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(sweeps.length, "swept after stop()").to.equal(stoppedAt);
}

describe("Gateway records", () => {
  describe("on a PostgreSQL server shared by two gateways (started by the test)", () => {
    let server: PostgresServer;
    let gateways: ReadModelDatabase[] = [];
    before(async function () {
      this.timeout(60_000);
      server = await startPostgres();
      const url = await server.createDatabase(`records_${process.pid}`);
      gateways = [await openDatabase({ url, poolSize: 5 }), await openDatabase({ url, poolSize: 5 })];
    });
    after(async function () {
      this.timeout(30_000);
      for (const g of gateways) await g.close();
      await server?.stop();
    });

    it("finds a party's open drafts by index, not by reading every draft", async () => {
      await openDraftsByParty(gateways[0].db, "drafts");
    });

    it("expires idempotency and prepared records, sweeping through both gateways at once", async () => {
      await expiry(
        gateways.map((g) => g.db),
        "expiry",
      );
    });

    it("loses no increment of one record changed concurrently through both gateways", async () => {
      const stores = gateways.map((g) => databaseRecords(g.db, "increments"));
      await incrementConcurrently(stores, 40);
      const counter = await stores[1].get<{ n: number; by: number[] }>("counter", "c");
      expect(counter!.n).to.equal(40);
      expect([...counter!.by].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i));
      const row = await gateways[0].db
        .selectFrom("gateway_records")
        .select("version")
        .where("scope", "=", "increments")
        .executeTakeFirstOrThrow();
      expect(row.version, "one version per change").to.equal(40);
    });

    it("keeps every co-signer's signature added at once through either gateway", async () => {
      const stores = gateways.map((g) => databaseRecords(g.db, "signatures"));
      await signConcurrently(stores, 12);
      const draft = await stores[0].get<{ signatures: Record<string, string> }>("draft", "d");
      expect(Object.keys(draft!.signatures)).to.have.length(12);
    });

    it("creates a missing record once when both gateways create it at the same time", async () => {
      const stores = gateways.map((g) => databaseRecords(g.db, "create"));
      const made = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % 2].change(async (tx) => {
            const kept = await tx.get<{ key: number }>("secret", "key");
            if (kept) return kept.key;
            await tx.put("secret", "key", { key: i });
            return i;
          }),
        ),
      );
      expect(new Set(made).size, `every caller got the one key: ${made}`).to.equal(1);
    });

    it("commits all of a change or none of it", async () => {
      const [store] = gateways.map((g) => databaseRecords(g.db, "atomic"));
      await store
        .change(async (tx) => {
          await tx.put("a", "1", { v: 1 });
          throw new Error("refused halfway");
        })
        .catch(() => undefined);
      expect(await store.get("a", "1")).to.equal(undefined);
    });
  });

  describe("on embedded PGlite", () => {
    let database: ReadModelDatabase;
    before(async function () {
      this.timeout(60_000);
      database = await openDatabase();
    });
    after(() => database?.close());

    it("finds a party's open drafts by index, not by reading every draft", async () => {
      await openDraftsByParty(database.db, "drafts");
    });

    it("expires idempotency and prepared records", async () => {
      await expiry([database.db, database.db], "expiry");
    });

    it("loses no increment and no signature when changes come at once", async () => {
      const store = databaseRecords(database.db, "pglite");
      await incrementConcurrently([store], 20);
      expect((await store.get<{ n: number }>("counter", "c"))!.n).to.equal(20);
      await signConcurrently([store], 8);
      expect(Object.keys((await store.get<{ signatures: object }>("draft", "d"))!.signatures)).to.have.length(8);
    });
  });
});
