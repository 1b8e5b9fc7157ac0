/**
 * The gateway's records (store/records.ts) where several gateways share them: each gateway is its own connection
 * pool on one PostgreSQL server (started by this file; never skipped), and concurrent read-modify-write changes
 * through both lose nothing, insert nothing twice and never overwrite what they did not read. The same on PGlite,
 * where changes of one process take turns.
 */
import { expect } from "chai";
import { openDatabase, type ReadModelDatabase } from "../../../api/src/store/database";
import { databaseRecords, type RecordStore } from "../../../api/src/store/records";
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

    it("loses no increment and no signature when changes come at once", async () => {
      const store = databaseRecords(database.db, "pglite");
      await incrementConcurrently([store], 20);
      expect((await store.get<{ n: number }>("counter", "c"))!.n).to.equal(20);
      await signConcurrently([store], 8);
      expect(Object.keys((await store.get<{ signatures: object }>("draft", "d"))!.signatures)).to.have.length(8);
    });
  });
});
