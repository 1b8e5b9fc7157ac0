/**
 * PGlite takes no lock on its data folder, and two processes writing one folder lose data. The gateway holds a lock
 * file beside the data: created exclusively (O_EXCL) with its PID. A second opener is refused while that PID lives;
 * a lock left by a dead process (kill -9, power cut) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";

export class DatabaseLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(
      `the database folder is in use by process ${holderPid} (lock file ${lockPath}); ` +
        "stop that gateway first, or set DATABASE_URL to share a PostgreSQL server between gateways",
    );
    this.name = "DatabaseLockedError";
  }
}

function processIsAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock at `lockPath` for this process; returns the function that gives it back. */
export function acquireLockFile(lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
      throw new DatabaseLockedError(lockPath, holder);
    }
    // Stale (its process is dead) or unreadable: take it over.
    try {
      unlinkSync(lockPath);
    } catch {
      // another opener took it over first; the next attempt decides
    }
  }
  throw new Error(`could not take the lock file ${lockPath}`);
}
