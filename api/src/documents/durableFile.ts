/**
 * Writes that count as done only once they would survive a power cut or `kill -9`: the file's bytes are fsync'ed
 * before it is renamed into place, and its directory is fsync'ed after, so that the rename (or a new name) is on
 * disk too. A reader never sees half a file: it sees the old one or the new one.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** The disk refused to keep a write: full, over quota, read-only, or failing. Answered 503 STORAGE_UNAVAILABLE. */
export const STORAGE_FAILURES = ["ENOSPC", "EDQUOT", "EROFS", "EIO"] as const;
/** PostgreSQL's (and PGlite's) SQLSTATE for the same: disk_full, and an I/O error reading or writing a data file. */
export const DATABASE_STORAGE_FAILURES = ["53100", "58030"] as const;
export const isStorageFailure = (error: unknown) =>
  [...STORAGE_FAILURES, ...DATABASE_STORAGE_FAILURES].includes(
    ((error as NodeJS.ErrnoException)?.code ?? "") as (typeof STORAGE_FAILURES)[number],
  );

/**
 * Replace `path` by `bytes` durably and atomically. If any step fails (a full disk…), the temporary file is removed
 * and the error thrown: the old file, or none, stays in place — never a part of the new one.
 */
export function writeFileDurably(path: string, bytes: Uint8Array | string, mode = 0o644) {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", mode);
  let renamed = false;
  try {
    try {
      const buffer = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
      for (let written = 0; written < buffer.length;) written += writeSync(fd, buffer, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    renamed = true;
  } finally {
    if (!renamed) removeQuietly(tmp);
  }
  fsyncDirectory(dirname(path));
}

/** Remove a file if it can be: the error that made us remove it is the one worth reporting. */
function removeQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // (already gone, or the disk refuses even that: a *.tmp file is never read as a record)
  }
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
