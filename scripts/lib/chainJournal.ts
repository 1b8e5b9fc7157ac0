/**
 * The embedded chain's write-ahead journal: one JSON line per state-changing JSON-RPC call, appended and fsync'ed
 * before the call is answered, so that a chain restarted from the journal holds every write anyone was told about.
 * The first line is a header that pins what the replay needs to rebuild the same genesis (chain id, genesis date).
 *
 * A line is written whole or not at all as far as readers are concerned: a crash in the middle of an append leaves a
 * last line without its newline (or not parseable), which was never acknowledged — it is cut off when the journal is
 * opened. Damage anywhere else is not a crash's doing and stops the start-up instead of being skipped.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { fsyncDirectory } from "../../api/src/documents/durableFile";

/** The journal's name in the embedded chain's data folder. */
export const JOURNAL_FILE = "chain.journal";
export const JOURNAL_KIND = "ipr-chain-journal";
export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  kind: typeof JOURNAL_KIND;
  version: number;
  chainId: number;
  /** The genesis block's date (ISO 8601, whole seconds): Hardhat's `initialDate`, pinned so the genesis is the same. */
  initialDate: string;
  genesisHash: string;
  /** When this register was started empty. */
  createdAt: string;
  /** The chain engine that wrote it ("anvil" since issue 9's checkpoints; absent: "hardhat", which wrote it before). */
  engine?: ChainEngine;
}

/** The embedded chain's engines: a journal is replayed on the engine that wrote it (their genesis blocks differ). */
export type ChainEngine = "hardhat" | "anvil";
export const engineOf = (header: JournalHeader): ChainEngine => header.engine ?? "hardhat";

/** One state-changing call and what it did. */
export interface JournalEntry {
  method: string;
  params: unknown[];
  /** The call's answer (a transaction hash for a sent transaction); absent when it failed. */
  result?: unknown;
  /** The call failed (e.g. a transaction mined but reverted): its message, and the hash of the transaction if any. */
  error?: { message: string; transactionHash?: string };
  /** The latest block after the call, its timestamp and hash. */
  block: number;
  timestamp: number;
  blockHash: string;
  /** The chain clock's offset from the wall clock after the call (non-zero only after time travel), in seconds. */
  offset: number;
}

/** What the embedded chain (scripts/lib/embeddedChain.ts) tells `npm start` once it listens. */
export interface ChainReady {
  ready: true;
  /** What the replay of an existing journal restored; absent on a first start. */
  resumed?: {
    entries: number;
    blocks: number;
    since: string;
    replayMs: number;
    droppedBytes: number;
    /** The checkpoint the start loaded (then only the journal's entries after it were replayed), if any. */
    checkpoint?: { entries: number; block: number; loadMs: number };
    /** Why newer checkpoints were passed over. */
    rejected?: string[];
  };
  engine: string;
}

export class JournalDamagedError extends Error {
  constructor(path: string, line: number, reason: string) {
    super(
      `the chain journal ${path} is damaged at line ${line} (${reason}): this is not what a crash leaves behind, ` +
        "so it is not skipped. Restore it from a backup, or start empty with `npm start -- --reset`.",
    );
    this.name = "JournalDamagedError";
  }
}

export class ChainJournal {
  private constructor(
    readonly path: string,
    readonly header: JournalHeader,
    readonly entries: JournalEntry[],
    /** Bytes cut off the end when it was opened: a torn last line. */
    readonly droppedBytes: number,
    private fd: number,
    /** The file's length: where the next entry starts. */
    private size: number,
  ) {
    this.length = entries.length;
    this.last = entries[entries.length - 1];
  }

  /** How many entries it holds now (read and appended), and the last one. */
  length: number;
  last?: JournalEntry;

  static exists(path: string) {
    return existsSync(path);
  }

  /** Start a journal (the file must not exist): write its header and make the file itself durable. */
  static create(path: string, header: JournalHeader): ChainJournal {
    const fd = openSync(path, "wx", 0o600);
    const line = `${JSON.stringify(header)}\n`;
    writeSync(fd, line);
    fsyncSync(fd);
    fsyncDirectory(dirname(path));
    return new ChainJournal(path, header, [], 0, fd, Buffer.byteLength(line));
  }

  /** Read a journal, cutting off a torn last line, and keep it open for appending. */
  static open(path: string): ChainJournal {
    const text = readFileSync(path, "utf8");
    const lines = text.split("\n");
    // `text` ends with "\n" when the last append completed: then the last element is "".
    let kept = lines.length - 1;
    const parsed: unknown[] = [];
    for (let i = 0; i < kept; i++) {
      try {
        parsed.push(JSON.parse(lines[i]));
      } catch {
        if (i < kept - 1) throw new JournalDamagedError(path, i + 1, "not JSON");
        kept = i; // a complete-looking last line that is not JSON: torn too (written out of order before the crash)
      }
    }
    const droppedBytes = Buffer.byteLength(lines.slice(kept).join("\n"));
    const [header, ...entries] = parsed as [JournalHeader, ...JournalEntry[]];
    if (header?.kind !== JOURNAL_KIND) throw new JournalDamagedError(path, 1, "no journal header");
    if (header.version !== JOURNAL_VERSION)
      throw new JournalDamagedError(path, 1, `version ${header.version}, this program reads ${JOURNAL_VERSION}`);
    entries.forEach((entry, i) => {
      if (typeof entry?.method !== "string" || !Number.isInteger(entry.block))
        throw new JournalDamagedError(path, i + 2, "not a journal entry");
    });
    if (droppedBytes > 0) {
      const fd = openSync(path, "r+");
      ftruncateSync(fd, Buffer.byteLength(text) - droppedBytes);
      fsyncSync(fd);
      closeSync(fd);
    }
    const fd = openSync(path, "a"); // O_APPEND: every write lands at the end
    return new ChainJournal(path, header, entries, droppedBytes, fd, Buffer.byteLength(text) - droppedBytes);
  }

  /**
   * Append an entry; returns once it is on disk. If the disk refuses (full, failing), the entry is taken back before
   * the error is thrown: it was never acknowledged, so a restart must not replay it. (Should even that fail, what is
   * left is a torn last line, which is cut off at the next start, or — if the line was written whole and only its
   * fsync failed — an entry the restart replays: a write nobody was told about, like one a crash cut after its append.)
   */
  append(entry: JournalEntry) {
    const line = `${JSON.stringify(entry)}\n`;
    try {
      writeSync(this.fd, line);
      fsyncSync(this.fd);
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.size);
        fsyncSync(this.fd);
      } catch {
        // (see above)
      }
      throw error;
    }
    this.size += Buffer.byteLength(line);
    this.length++;
    this.last = entry;
  }

  close() {
    closeSync(this.fd);
  }
}
