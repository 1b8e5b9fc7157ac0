/**
 * A full (or read-only, over-quota, failing) disk answers 503 STORAGE_UNAVAILABLE with Retry-After, never 500, and
 * leaves no part of the refused file behind. The failure is injected at the file system calls the store makes (only
 * for files under the gateway's data folder), at each step of a durable write: open, write, fsync, rename.
 */
import { expect } from "chai";
import fs from "node:fs";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { sha256 } from "ethers";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { buildApp } from "../../api/src/server";
import type { RecordStore } from "../../api/src/store/records";
import { anchorReport, application, recordPatent } from "./helpers/pledgeParties";

type Step = "openSync" | "writeSync" | "fsyncSync" | "renameSync";

/** Run `action` while the file system refuses `step` on files under `dir` with `code`. */
async function withFailingDisk<T>(dir: string, step: Step, code: string, action: () => Promise<T>): Promise<T> {
  const real = { openSync: fs.openSync, writeSync: fs.writeSync, fsyncSync: fs.fsyncSync, renameSync: fs.renameSync };
  const patched = fs as unknown as Record<Step, unknown>;
  const under = new Set<number>();
  const refuse = () => {
    throw Object.assign(new Error(`${code}: injected by the test, ${step}`), { code, syscall: step });
  };
  patched.openSync = (path: fs.PathLike, ...rest: unknown[]) => {
    const inside = String(path).startsWith(dir);
    if (inside && step === "openSync") refuse();
    const fd = (real.openSync as (...a: unknown[]) => number)(path, ...rest);
    if (inside) under.add(fd);
    return fd;
  };
  patched.writeSync = (fd: number, ...rest: unknown[]) => {
    if (under.has(fd) && step === "writeSync") refuse();
    return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  };
  patched.fsyncSync = (fd: number) => {
    if (under.has(fd) && step === "fsyncSync") refuse();
    return real.fsyncSync(fd);
  };
  patched.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (String(to).startsWith(dir) && step === "renameSync") refuse();
    return real.renameSync(from, to);
  };
  try {
    return await action();
  } finally {
    Object.assign(patched, real);
  }
}

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );

const upload = (f: GatewayFixture, bytes: Buffer) =>
  request(f.app)
    .post("/v1/documents")
    .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
    .set("content-type", "text/plain")
    .send(bytes);

describe("gateway — a disk that refuses writes", () => {
  const cases: [Step, string][] = [
    ["openSync", "EDQUOT"],
    ["writeSync", "ENOSPC"],
    ["fsyncSync", "EIO"],
    ["renameSync", "EROFS"],
  ];
  for (const [step, code] of cases) {
    it(`${code} at ${step}: 503 STORAGE_UNAVAILABLE with Retry-After, and no part of the file left`, async () => {
      const f = await openGateway();
      const before = filesUnder(f.dataDir);
      const bytes = Buffer.from(`a report the disk will refuse (${step}, ${code}) ${Date.now()}`);
      const res = await withFailingDisk(f.dataDir, step, code, () => upload(f, bytes));
      expect(res.status, JSON.stringify(res.body)).to.equal(503);
      expect(res.body.error.code).to.equal("STORAGE_UNAVAILABLE");
      expect(res.body.error.message).to.include(code);
      expect(Number(res.headers["retry-after"])).to.be.greaterThan(0);
      // Nothing new on disk but what the upload writes first (its media type record): no temporary file, no document.
      const added = filesUnder(f.dataDir).filter((path) => !before.includes(path));
      expect(
        added.filter((path) => path.endsWith(".tmp")),
        "temporary files left",
      ).to.deep.equal([]);
      expect(added.filter((path) => path.includes(`${join(f.dataDir, "documents")}`))).to.deep.equal([]);
      const read = await f.as("evaluator").get(`/documents/${sha256(bytes)}`);
      expect(read.status).to.equal(404);

      // The disk has room again: the same upload is kept.
      expect((await upload(f, bytes)).status).to.equal(201);
      expect((await f.as("evaluator").get(`/documents/${sha256(bytes)}`)).status).to.equal(200);
    });
  }

  it("a record (a pledge application's draft) the database refuses for a full disk: 503, and no draft half there", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110088888.8", [f.parties[0]]);
    const body = application(f, {
      assets: [assetId],
      pledgors: [f.parties[0]],
      reportId: await anchorReport(f, [assetId]),
    });
    // The gateway's records as the database keeps them, but its disk is full: PostgreSQL's (and PGlite's) SQLSTATE
    // 53100 disk_full on every write — the transaction is rolled back whole.
    let refusedWrites = 0;
    const diskFull = () => {
      refusedWrites++;
      return Object.assign(new Error("could not extend file: No space left on device"), { code: "53100" });
    };
    const records: RecordStore = {
      get: (kind, id) => f.records.get(kind, id),
      list: (kind) => f.records.list(kind),
      openDraftsOf: (kind, party) => f.records.openDraftsOf(kind, party),
      put: () => Promise.reject(diskFull()),
      change: () => Promise.reject(diskFull()),
    };
    const app = buildApp({ ...f.parts, records, index: f.index });
    const res = await request(app)
      .post("/v1/pledges/applications")
      .set("Authorization", `Bearer ${f.keyOf["bank-a"]}`)
      .send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(503);
    expect(res.body.error.code).to.equal("STORAGE_UNAVAILABLE");
    expect(Number(res.headers["retry-after"])).to.be.greaterThan(0);
    expect(refusedWrites).to.be.greaterThan(0);
    // Nothing kept: the bank's open drafts are as before, and the same request goes through once the disk has room.
    expect(await f.records.list("pledge-drafts")).to.deep.equal([]);
    const again = await f.as("bank-a").post("/pledges/applications", body);
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(await f.records.list("pledge-drafts")).to.have.length(1);
  });
});
