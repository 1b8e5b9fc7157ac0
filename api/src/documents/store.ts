/**
 * The gateway's only state: a directory. Documents are stored content-addressed by their SHA-256 (so the bytes a
 * loan relied on can always be fetched and re-hashed); small JSON records (pledge drafts, idempotency records) are
 * kept beside them. Writes go to a temporary file first and are renamed, so a crash never leaves half a record.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export const sha256Hex = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

export class DocumentStore {
  constructor(readonly root: string) {
    for (const dir of ["documents", "records"]) mkdirSync(join(root, dir), { recursive: true });
  }

  /** Store a document; returns its SHA-256 (0x-prefixed), which is also its address. */
  putDocument(bytes: Uint8Array): string {
    const hash = sha256Hex(bytes);
    const path = this.documentPath(hash);
    if (!existsSync(path)) this.atomicWrite(path, bytes);
    return hash;
  }

  getDocument(hash: string): Buffer | undefined {
    const path = this.documentPath(hash);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  putRecord(kind: string, id: string, value: unknown) {
    mkdirSync(join(this.root, "records", kind), { recursive: true });
    this.atomicWrite(this.recordPath(kind, id), Buffer.from(JSON.stringify(value, null, 2)));
  }

  getRecord<T>(kind: string, id: string): T | undefined {
    const path = this.recordPath(kind, id);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined;
  }

  private documentPath(hash: string) {
    if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256: ${hash}`);
    return join(this.root, "documents", hash.slice(2));
  }

  private recordPath(kind: string, id: string) {
    if (!/^[a-z-]+$/.test(kind) || !/^[0-9a-zA-Z_-]{1,128}$/.test(id)) throw new Error(`bad record name ${kind}/${id}`);
    return join(this.root, "records", kind, `${id}.json`);
  }

  private atomicWrite(path: string, bytes: Uint8Array) {
    const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  }
}
