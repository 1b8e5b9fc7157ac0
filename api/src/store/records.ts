/**
 * The gateway's own state — drafts and their signatures, idempotency records, the valuation batching queues,
 * prepared transactions, signing links, the pool index — as small JSON records, each named by a kind and an id.
 *
 * In the database (`databaseRecords`), shared by every gateway on it: a change is a transaction that reads the rows
 * it changes and writes them back with a version check (`UPDATE … WHERE version = v`; a row read as missing is
 * INSERTed, so a second inserter fails on the key). When another gateway changed a row in between, the transaction
 * is rolled back and run again on the new values; it never overwrites what it did not see. PostgreSQL's own
 * deadlock and serialisation refusals are retried the same way. PGlite has one connection, so there its
 * transactions simply run one after another.
 *
 * Without a database (parts built by hand, e.g. in tests), `fileRecords` keeps them in the document store's folder,
 * and changes take turns in this process only: one gateway process at most.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { DocumentStore } from "../documents/store";
import type { ReadModel } from "./schema";
import { SIGNERS_LOWERCASE } from "./migrations/records_21";

/** Reads and writes inside one change (`RecordStore.change`): all of them commit together, or none. */
export interface RecordTransaction {
  get<T>(kind: string, id: string): Promise<T | undefined>;
  put(kind: string, id: string, value: unknown): Promise<void>;
}

export interface RecordStore {
  get<T>(kind: string, id: string): Promise<T | undefined>;
  /** Overwrite one record (use `change` whenever the new value depends on an old one). */
  put(kind: string, id: string, value: unknown): Promise<void>;
  /** Every record of one kind (a small kind: drafts still open, not a history). */
  list<T>(kind: string): Promise<T[]>;
  /**
   * The drafts of `kind` not yet submitted where `party` is a party: drafted by its organisation (`createdBy` = its id)
   * or among the signers (`signers[].address`, in any case). In the database, found by index (migration records_21).
   */
  openDraftsOf<T>(kind: string, party: { id: string; address: string }): Promise<T[]>;
  /**
   * Read and write records atomically. `work` may run more than once (when another gateway changed a record it read),
   * so it must do nothing but compute and read/write through `tx`; what it returns is the last run's result.
   */
  change<R>(work: (tx: RecordTransaction) => Promise<R>): Promise<R>;
}

/** What `openDraftsOf` reads of a draft. */
interface OpenDraft {
  createdBy?: string;
  signers?: { address: string }[];
  submitted?: unknown;
}

const isOpenDraftOf = (d: OpenDraft, party: { id: string; address: string }) =>
  !d.submitted &&
  (d.createdBy === party.id || !!d.signers?.some((s) => s.address.toLowerCase() === party.address.toLowerCase()));

/** Another gateway changed a record between this transaction's read and its write. */
class VersionConflict extends Error {}

/** PostgreSQL's "run it again" refusals: serialisation failure, deadlock, unique violation (a concurrent insert). */
const retryable = (error: unknown) =>
  error instanceof VersionConflict || ["40001", "40P01", "23505"].includes((error as { code?: string })?.code ?? "");

/** How often a change is run again after conflicts before the conflict is the caller's error. */
const MAX_ATTEMPTS = 20;

/** `openDraftsOf`'s query: the indexes of migration records_21 answer it (test/api/store/records.test.ts). */
export function openDraftsQuery(
  db: Kysely<ReadModel> | Transaction<ReadModel>,
  scope: string,
  kind: string,
  party: { id: string; address: string },
) {
  const signer = JSON.stringify([{ address: party.address.toLowerCase() }]);
  const open = () =>
    db
      .selectFrom("gateway_records")
      .select(["id", "value"])
      .where("scope", "=", scope)
      .where("kind", "=", kind)
      .where(sql`value->'submitted'`, "is", null);
  // A union, so that each half is answered by its own index (an OR of the two reads every open draft).
  return open()
    .where(sql`value->>'createdBy'`, "=", party.id)
    .union(open().where(sql.raw(SIGNERS_LOWERCASE), "@>", sql`${signer}::jsonb`))
    .orderBy("id");
}

export function databaseRecords(db: Kysely<ReadModel>, scope = ""): RecordStore {
  const row = (q: Kysely<ReadModel> | Transaction<ReadModel>, kind: string, id: string) =>
    q
      .selectFrom("gateway_records")
      .select(["value", "version"])
      .where("scope", "=", scope)
      .where("kind", "=", kind)
      .where("id", "=", id);

  const store: RecordStore = {
    async get<T>(kind: string, id: string) {
      return (await row(db, kind, id).executeTakeFirst())?.value as T | undefined;
    },
    async put(kind, id, value) {
      await store.change((tx) => tx.put(kind, id, value));
    },
    async list<T>(kind: string) {
      const rows = await db
        .selectFrom("gateway_records")
        .select("value")
        .where("scope", "=", scope)
        .where("kind", "=", kind)
        .orderBy("id")
        .execute();
      return rows.map((r) => r.value as T);
    },
    async openDraftsOf<T>(kind: string, party: { id: string; address: string }) {
      const rows = await openDraftsQuery(db, scope, kind, party).execute();
      return rows.map((r) => r.value as T);
    },
    async change(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(async (trx) => {
            /** The version of each record this run read: null when it did not exist. */
            const seen = new Map<string, number | null>();
            return work({
              async get<T>(kind: string, id: string) {
                const found = await row(trx, kind, id).forUpdate().executeTakeFirst();
                seen.set(JSON.stringify([kind, id]), found ? found.version : null);
                return found?.value as T | undefined;
              },
              async put(kind, id, value) {
                const json = JSON.stringify(value);
                const key = JSON.stringify([kind, id]);
                const version = seen.has(key) ? seen.get(key)! : (await row(trx, kind, id).executeTakeFirst())?.version;
                if (version === null || version === undefined) {
                  // Missing when read: insert, and let a concurrent inserter's row make this one fail and retry.
                  await trx
                    .insertInto("gateway_records")
                    .values({ scope, kind, id, value: json, version: 1 })
                    .execute();
                  seen.set(key, 1);
                  return;
                }
                const updated = await trx
                  .updateTable("gateway_records")
                  .set({ value: json, version: version + 1, updated_at: sql`now()` })
                  .where("scope", "=", scope)
                  .where("kind", "=", kind)
                  .where("id", "=", id)
                  .where("version", "=", version)
                  .executeTakeFirst();
                if (updated.numUpdatedRows !== 1n) throw new VersionConflict(`${kind}/${id} changed meanwhile`);
                seen.set(key, version + 1);
              },
            });
          });
        } catch (error) {
          if (!retryable(error) || attempt >= MAX_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        }
      }
    },
  };
  return store;
}

/** Records as files beside the documents; changes take turns within this process (no other gateway may share it). */
export function fileRecords(files: DocumentStore): RecordStore {
  let turn: Promise<unknown> = Promise.resolve();
  const tx: RecordTransaction = {
    get: async <T>(kind: string, id: string) => files.getRecord<T>(kind, id),
    put: async (kind, id, value) => files.putRecord(kind, id, value),
  };
  const store: RecordStore = {
    get: tx.get,
    put: (kind, id, value) => store.change((t) => t.put(kind, id, value)),
    list: async <T>(kind: string) =>
      files
        .listRecords(kind)
        .map((id) => files.getRecord<T>(kind, id))
        .filter((r): r is T => r !== undefined),
    openDraftsOf: async <T>(kind: string, party: { id: string; address: string }) =>
      ((await store.list<OpenDraft>(kind)) as OpenDraft[]).filter((d) => isOpenDraftOf(d, party)) as T[],
    change<R>(work: (t: RecordTransaction) => Promise<R>): Promise<R> {
      const result = turn.then(() => work(tx));
      turn = result.catch(() => undefined);
      return result;
    },
  };
  return store;
}

/** One file-backed record store per document store, so that apps built over the same parts take turns together. */
const fileRecordsOf = new WeakMap<DocumentStore, RecordStore>();

/** The parts' record store: the one given (the database's), else files beside the documents. */
export function recordsOf(parts: { records?: RecordStore; store: DocumentStore }): RecordStore {
  if (parts.records) return parts.records;
  let records = fileRecordsOf.get(parts.store);
  if (!records) fileRecordsOf.set(parts.store, (records = fileRecords(parts.store)));
  return records;
}
