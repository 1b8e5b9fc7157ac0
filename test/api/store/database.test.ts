/**
 * The embedded database's folder: one opener at a time (PGlite takes no lock of its own), a lock left by a dead
 * process taken over, data and schema version kept across a reopen.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { LOCK_FILE, openDatabase } from "../../../api/src/store/database";
import { DatabaseLockedError } from "../../../api/src/store/lockFile";
import { MIGRATIONS, migrate } from "../../../api/src/store/migrations";

describe("Read model database folder (PGlite)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "ipr-pglite-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a second opener, takes over a dead process's lock, and keeps data and schema across a reopen", async () => {
    const lock = join(dir, LOCK_FILE);
    const first = await openDatabase({ dataDir: dir });
    try {
      expect(readFileSync(lock, "utf8").trim()).to.equal(String(process.pid));
      await first.db.insertInto("indexed_blocks").values({ number: "42", hash: "0xabc" }).execute();

      const second = openDatabase({ dataDir: dir });
      await expect(second).to.be.rejectedWith(DatabaseLockedError, new RegExp(`in use by process ${process.pid}`));
      // The refused opener left the holder's lock alone.
      expect(readFileSync(lock, "utf8").trim()).to.equal(String(process.pid));
    } finally {
      await first.close();
    }
    expect(existsSync(lock)).to.equal(false);

    // A lock file left by a process that no longer runs (kill -9, power cut) is stale: taken over.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(lock, `${dead}\n`);
    const reopened = await openDatabase({ dataDir: dir });
    try {
      expect(readFileSync(lock, "utf8").trim()).to.equal(String(process.pid));
      expect(await reopened.db.selectFrom("indexed_blocks").selectAll().execute()).to.deep.equal([
        { number: "42", hash: "0xabc" },
      ]);
      // Migrations ran once: the versions are recorded, and running them again applies nothing.
      const versions = await sql<{ version: number }>`select version from schema_migrations order by version`.execute(
        reopened.db,
      );
      expect(versions.rows.map((r) => r.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
      expect(await migrate(reopened.db)).to.deep.equal([]);
    } finally {
      await reopened.close();
    }
  });
});
