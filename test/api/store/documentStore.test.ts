/**
 * The gateway's file store answers 2xx only for what would survive kill -9 or a power cut: each document and record
 * is written to a temporary file, fsync'ed, renamed into place, and its directory fsync'ed so that the new name is on
 * disk too. The file system calls are watched as they happen.
 */
import { expect } from "chai";
import fs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DocumentStore, sha256Hex } from "../../../api/src/documents/store";

type Step = [string, string] | [string, string, string];

/** Run `action` while recording open/fsync/rename calls by path, in order. */
function watchFileSystem(action: () => void): Step[] {
  const steps: Step[] = [];
  const paths = new Map<number, string>();
  const real = { openSync: fs.openSync, fsyncSync: fs.fsyncSync, renameSync: fs.renameSync };
  const patched = fs as unknown as Record<string, unknown>;
  patched.openSync = (path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (real.openSync as (...a: unknown[]) => number)(path, ...rest);
    paths.set(fd, String(path));
    return fd;
  };
  patched.fsyncSync = (fd: number) => {
    steps.push(["fsync", paths.get(fd) ?? `fd ${fd}`]);
    return real.fsyncSync(fd);
  };
  patched.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    steps.push(["rename", String(from), String(to)]);
    return real.renameSync(from, to);
  };
  try {
    action();
  } finally {
    Object.assign(patched, real);
  }
  return steps;
}

/** The file's bytes are fsync'ed before the rename, and its directory after. */
function expectDurableWrite(steps: Step[], dir: string, final: string) {
  const rename = steps.findIndex((s) => s[0] === "rename" && s[2] === final);
  expect(rename, JSON.stringify(steps)).to.be.greaterThan(-1);
  const tmp = steps[rename][1];
  expect(steps.slice(0, rename), "the temporary file is fsync'ed before the rename").to.deep.include(["fsync", tmp]);
  expect(steps.slice(rename + 1), "the directory is fsync'ed after the rename").to.deep.include(["fsync", dir]);
}

describe("DocumentStore — a 2xx means durable", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "ipr-store-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("fsyncs a document before renaming it into place, then its directory", () => {
    const store = new DocumentStore(root);
    const bytes = Buffer.from("valuation report, signed");
    let hash = "";
    const steps = watchFileSystem(() => (hash = store.putDocument(bytes)));
    expect(hash).to.equal(sha256Hex(bytes));
    expectDurableWrite(steps, join(root, "documents"), join(root, "documents", hash.slice(2)));
    expect(store.getDocument(hash)).to.deep.equal(bytes);
  });

  it("fsyncs a record and its directory; a new record kind's directory is made durable in its parent", () => {
    const store = new DocumentStore(root);
    const steps = watchFileSystem(() => store.putRecord("drafts", "d1", { terms: 1 }));
    expectDurableWrite(steps, join(root, "records", "drafts"), join(root, "records", "drafts", "d1.json"));
    expect(steps, "the new drafts/ folder is named durably in records/").to.deep.include([
      "fsync",
      join(root, "records"),
    ]);
    expect(store.getRecord("drafts", "d1")).to.deep.equal({ terms: 1 });
  });

  it("leaves no temporary file behind", () => {
    const store = new DocumentStore(root);
    store.putRecord("idempotency", "k1", { status: 201 });
    expect(fs.readdirSync(join(root, "records", "idempotency"))).to.deep.equal(["k1.json"]);
  });
});
