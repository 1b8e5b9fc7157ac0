/**
 * Opening the read model's database: a PostgreSQL server when a URL is given (several gateways may share it), else
 * PGlite — PostgreSQL in WASM, in this process — in a data folder (or in memory), guarded by a lock file. Both are
 * queried through the same Kysely instance and the same SQL; int8 and numeric come back as decimal strings on both.
 * Migrations run at open.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { Pool, types as pgTypes } from "pg";
import { acquireLockFile } from "./lockFile";
import { migrate } from "./migrations";
import { PgliteDialect } from "./pgliteDialect";
import type { ReadModel } from "./schema";

export interface DatabaseOptions {
  /** postgres://… — use this PostgreSQL server. */
  url?: string;
  /** Otherwise PGlite in this folder (created if missing, locked while open); neither = PGlite in memory. */
  dataDir?: string;
  /** Connections in the pool (server only; default 10). */
  poolSize?: number;
  /**
   * PGlite only: start from this dump (`dumpPglite`) instead of running initdb, which takes seconds under WASM —
   * the tests open many throw-away databases from one migrated template.
   */
  pgliteTemplate?: Blob;
}

export interface ReadModelDatabase {
  db: Kysely<ReadModel>;
  kind: "postgres" | "pglite";
  /** PGlite only: the whole database as a tarball, e.g. a template for `pgliteTemplate`. */
  dump?: () => Promise<Blob>;
  /** Closes the connections and gives back the data folder's lock. */
  close(): Promise<void>;
}

export const LOCK_FILE = "gateway.lock";
const PGLITE_FOLDER = "pglite";

const asText = (value: string) => value;

/** pg's parsers for this pool only (the process-wide defaults stay untouched): int8 and numeric as strings. */
const pgTypeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pgTypes.builtins.INT8 || oid === pgTypes.builtins.NUMERIC) return asText;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (pgTypes.getTypeParser as any)(oid, format);
  },
};

export async function openDatabase(options: DatabaseOptions = {}): Promise<ReadModelDatabase> {
  if (options.url) {
    const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10, types: pgTypeParsers });
    const db = new Kysely<ReadModel>({ dialect: new PostgresDialect({ pool }) });
    try {
      await migrate(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return { db, kind: "postgres", close: () => db.destroy() };
  }

  let releaseLock = () => {};
  let dataDir: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireLockFile(join(options.dataDir, LOCK_FILE));
    dataDir = join(options.dataDir, PGLITE_FOLDER);
  }
  try {
    const pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(options.pgliteTemplate ? { loadDataDir: options.pgliteTemplate } : {}),
      parsers: { [pgliteTypes.INT8]: asText, [pgliteTypes.NUMERIC]: asText },
    });
    const db = new Kysely<ReadModel>({ dialect: new PgliteDialect(pglite) });
    try {
      await migrate(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    let closed = false;
    return {
      db,
      kind: "pglite",
      dump: () => pglite.dumpDataDir("none"),
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await db.destroy();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
