/**
 * Checkpoints of the embedded chain (issue 9, not yet used by `npm start`: see README "Reliability"): a dump of the
 * chain's state taken after the journal's first N entries, so that a start loads it and replays only the journal's
 * tail. The journal (scripts/lib/chainJournal.ts) stays the record of what was acknowledged; a checkpoint is only a
 * shortcut through it, trusted only where it agrees with the journal:
 * - it is two files: the state as the engine reads it (`checkpoint-N.state`; anvil boots from such a file with
 *   `--load-state`, its `anvil_loadState` refuses requests of a few MB), then its description (`checkpoint-N.json`),
 *   each written to a temporary file, fsync'ed, renamed into place and its folder fsync'ed. The description is written
 *   last: a crash leaves the old checkpoints, or the new one whole, and leftover temporary files are never read;
 * - the description names the position it covers (entry count, last block number and hash), the journal's genesis and
 *   the SHA-256 of the state file: on start a checkpoint is used only if its description parses, the state file's
 *   digest matches, its genesis is the journal's and the journal holds that block at that position with that hash.
 *   Anything else (a torn, empty or damaged file, a checkpoint ahead of the journal) is rejected with the reason, and
 *   the next older one is tried, then the full replay: a bad checkpoint can cost time, never an acknowledged write.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileDurably } from "../../api/src/documents/durableFile";
import type { JournalEntry, JournalHeader } from "./chainJournal";

/** The checkpoints' folder in the embedded chain's data folder. */
export const CHECKPOINT_DIR = "checkpoints";
export const CHECKPOINT_KIND = "ipr-chain-checkpoint";
export const CHECKPOINT_VERSION = 1;
const NAME = /^checkpoint-(\d{12})\.json$/;

/** How far into the journal a checkpoint goes: its first `entries` entries, ending at this block. */
export interface CheckpointPosition {
  entries: number;
  block: number;
  blockHash: string;
}

export interface Checkpoint extends CheckpointPosition {
  kind: typeof CHECKPOINT_KIND;
  version: number;
  genesisHash: string;
  /** What dumped the state (e.g. "anvil 1.7.1"): only the same engine can load it. */
  engine: string;
  writtenAt: string;
  /** SHA-256 (hex) and size of the state file. */
  sha256: string;
  stateBytes: number;
}

/** A checkpoint that agrees with the journal, and where its state file is. */
export interface UsableCheckpoint extends Checkpoint {
  path: string;
  statePath: string;
}

export class CheckpointRejectedError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`checkpoint ${path} not used: ${reason}`);
    this.name = "CheckpointRejectedError";
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const statePathOf = (path: string) => path.replace(/\.json$/, ".state");

/** The position after the journal's first `count` entries (0: the genesis). */
export function positionAfter(header: JournalHeader, entries: readonly JournalEntry[], count: number) {
  if (count < 0 || count > entries.length)
    throw new RangeError(`the journal has ${entries.length} entries, not ${count}`);
  const last = entries[count - 1];
  return last
    ? { entries: count, block: last.block, blockHash: last.blockHash }
    : { entries: 0, block: 0, blockHash: header.genesisHash };
}

/**
 * Write a checkpoint durably: its state, then its description (each: temporary file, fsync, rename, fsync of the
 * folder); then keep only the newest `keep` checkpoints and clear what an interrupted write left.
 */
export function writeCheckpoint(
  dataDir: string,
  header: JournalHeader,
  position: CheckpointPosition,
  engine: string,
  state: Uint8Array,
  keep = 2,
): string {
  const dir = join(dataDir, CHECKPOINT_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `checkpoint-${String(position.entries).padStart(12, "0")}.json`);
  writeFileDurably(statePathOf(path), state, 0o600);
  const checkpoint: Checkpoint = {
    kind: CHECKPOINT_KIND,
    version: CHECKPOINT_VERSION,
    genesisHash: header.genesisHash,
    ...position,
    engine,
    writtenAt: new Date().toISOString(),
    sha256: sha256(state),
    stateBytes: state.length,
  };
  writeFileDurably(path, JSON.stringify(checkpoint), 0o600);
  const kept = new Set(
    checkpointPaths(dataDir)
      .slice(0, keep)
      .flatMap((p) => [p, statePathOf(p)]),
  );
  for (const name of readdirSync(dir)) if (!kept.has(join(dir, name))) rmSync(join(dir, name), { force: true });
  return path;
}

/** The checkpoint files, newest (most entries) first. */
export function checkpointPaths(dataDir: string): string[] {
  const dir = join(dataDir, CHECKPOINT_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => NAME.test(name))
    .sort()
    .reverse()
    .map((name) => join(dir, name));
}

/** Read a checkpoint and check it against the journal; throws CheckpointRejectedError with the reason. */
export function readCheckpoint(
  path: string,
  header: JournalHeader,
  entries: readonly JournalEntry[],
  engine: string,
): UsableCheckpoint {
  const reject = (reason: string) => new CheckpointRejectedError(path, reason);
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
  } catch (error) {
    throw reject(`it cannot be read whole (${(error as Error).message})`);
  }
  if (checkpoint?.kind !== CHECKPOINT_KIND) throw reject("it is not a checkpoint");
  if (checkpoint.version !== CHECKPOINT_VERSION) throw reject(`version ${checkpoint.version}`);
  if (checkpoint.engine !== engine) throw reject(`dumped by ${checkpoint.engine}, not ${engine}`);
  const statePath = statePathOf(path);
  let state: Buffer;
  try {
    state = readFileSync(statePath);
  } catch (error) {
    throw reject(`its state file cannot be read (${(error as Error).message})`);
  }
  if (state.length !== checkpoint.stateBytes || sha256(state) !== checkpoint.sha256)
    throw reject("its state file does not match its digest");
  if (checkpoint.genesisHash !== header.genesisHash) throw reject("it belongs to another journal (genesis)");
  if (!Number.isInteger(checkpoint.entries) || checkpoint.entries < 0 || checkpoint.entries > entries.length)
    throw reject(`it covers ${checkpoint.entries} entries; the journal holds ${entries.length}`);
  const expected = positionAfter(header, entries, checkpoint.entries);
  if (checkpoint.block !== expected.block || checkpoint.blockHash !== expected.blockHash) {
    throw reject(
      `it ends at block ${checkpoint.block} ${checkpoint.blockHash}; the journal's entry ${checkpoint.entries} is ` +
        `block ${expected.block} ${expected.blockHash}`,
    );
  }
  return { ...checkpoint, path, statePath };
}

/**
 * The newest checkpoint that agrees with the journal, and why each newer one was passed over; `checkpoint` is
 * undefined when none does (then the whole journal is replayed).
 */
export function newestUsableCheckpoint(
  dataDir: string,
  header: JournalHeader,
  entries: readonly JournalEntry[],
  engine: string,
): { checkpoint?: UsableCheckpoint; rejected: string[] } {
  const rejected: string[] = [];
  for (const path of checkpointPaths(dataDir)) {
    try {
      return { checkpoint: readCheckpoint(path, header, entries, engine), rejected };
    } catch (error) {
      if (!(error instanceof CheckpointRejectedError)) throw error;
      rejected.push(error.message);
    }
  }
  return { rejected };
}
