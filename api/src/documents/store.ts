/**
 * The gateway's only state: a directory. Documents are stored content-addressed by their SHA-256 (so the bytes a
 * loan relied on can always be fetched and re-hashed); small JSON records (pledge drafts, idempotency records) are
 * kept beside them. Writes go to a temporary file first, are fsync'ed and renamed, and the directory is fsync'ed
 * (durableFile.ts): a crash never leaves half a record, and a write that returned — so a 2xx — survives kill -9.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fsyncDirectory, writeFileDurably } from "./durableFile";

export const sha256Hex = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

export class DocumentStore {
  constructor(readonly root: string) {
    for (const dir of ["documents", "records"]) this.makeDirectory(join(root, dir));
  }

  /** Store a document; returns its SHA-256 (0x-prefixed), which is also its address. */
  putDocument(bytes: Uint8Array): string {
    const hash = sha256Hex(bytes);
    const path = this.documentPath(hash);
    if (!existsSync(path)) writeFileDurably(path, bytes);
    return hash;
  }

  getDocument(hash: string): Buffer | undefined {
    const path = this.documentPath(hash);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  putRecord(kind: string, id: string, value: unknown) {
    const path = this.recordPath(kind, id);
    this.makeDirectory(join(this.root, "records", kind));
    writeFileDurably(path, JSON.stringify(value, null, 2));
  }

  getRecord<T>(kind: string, id: string): T | undefined {
    const path = this.recordPath(kind, id);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined;
  }

  /** The ids of every record of a kind (none when the kind has no records yet). */
  listRecords(kind: string): string[] {
    const dir = join(this.root, "records", kind);
    if (!/^[a-z-]+$/.test(kind) || !existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length));
  }

  private documentPath(hash: string) {
    if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256: ${hash}`);
    return join(this.root, "documents", hash.slice(2));
  }

  private recordPath(kind: string, id: string) {
    if (!/^[a-z-]+$/.test(kind) || !/^[0-9a-zA-Z_-]{1,128}$/.test(id)) throw new Error(`bad record name ${kind}/${id}`);
    return join(this.root, "records", kind, `${id}.json`);
  }

  /** A folder created here is named durably in its parent (a record inside it would otherwise be lost with it). */
  private makeDirectory(path: string) {
    if (existsSync(path)) return;
    mkdirSync(path, { recursive: true });
    fsyncDirectory(join(path, ".."));
  }
}
