/**
 * Writes that count as done only once they would survive a power cut or `kill -9`: the file's bytes are fsync'ed
 * before it is renamed into place, and its directory is fsync'ed after, so that the rename (or a new name) is on
 * disk too. A reader never sees half a file: it sees the old one or the new one.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Replace `path` by `bytes` durably and atomically (the temporary file is removed if the write fails). */
export function writeFileDurably(path: string, bytes: Uint8Array | string, mode = 0o644) {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", mode);
  try {
    const buffer = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
    for (let written = 0; written < buffer.length;) written += writeSync(fd, buffer, written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(tmp);
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
}

/** A new name in a directory (a rename, a created file) is durable only once the directory is fsync'ed. */
export function fsyncDirectory(path: string) {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
