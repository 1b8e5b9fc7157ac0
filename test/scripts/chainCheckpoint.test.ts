/**
 * Checkpoints of the embedded chain (scripts/lib/chainCheckpoint.ts): one is used only where it agrees with the
 * journal; what a kill during its write can leave (a 0-byte file, a torn file, a temporary file) and any damage make
 * the start fall back to the next older checkpoint, then to the whole journal — never to a state the journal does not
 * hold.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { JOURNAL_KIND, JOURNAL_VERSION, type JournalEntry, type JournalHeader } from "../../scripts/lib/chainJournal";
import {
  CHECKPOINT_DIR,
  checkpointPaths,
  newestUsableCheckpoint,
  positionAfter,
  writeCheckpoint,
} from "../../scripts/lib/chainCheckpoint";

const ENGINE = "test-engine 1";
const hashOf = (block: number) => `0x${block.toString(16).padStart(64, "a")}`;
const header: JournalHeader = {
  kind: JOURNAL_KIND,
  version: JOURNAL_VERSION,
  chainId: 31337,
  initialDate: "2026-01-01T00:00:00.000Z",
  genesisHash: hashOf(0),
  createdAt: "2026-01-01T00:00:00.000Z",
};
/** A journal of `count` entries, entry i mining block i + 1. */
const journal = (count: number): JournalEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    method: "evm_mine",
    params: [],
    result: "0",
    block: i + 1,
    timestamp: 1_800_000_000 + i,
    blockHash: hashOf(i + 1),
    offset: 0,
  }));
const stateAt = (entries: number) => Buffer.from(`state after ${entries} entries`);
const stateOf = (checkpoint?: { statePath: string }) => readFileSync(checkpoint!.statePath, "utf8");

describe("chain checkpoints (scripts/lib/chainCheckpoint.ts)", function () {
  let dir: string;
  const entries = journal(30);
  const write = (count: number, keep = 2) =>
    writeCheckpoint(dir, header, positionAfter(header, entries, count), ENGINE, stateAt(count), keep);
  const newest = (journalEntries = entries) => newestUsableCheckpoint(dir, header, journalEntries, ENGINE);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ipr-checkpoint-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("gives back the newest checkpoint with the journal position it covers, and keeps only the newest two", function () {
    write(10);
    write(20);
    write(25);
    expect(checkpointPaths(dir).map((p) => basename(p))).to.deep.equal([
      "checkpoint-000000000025.json",
      "checkpoint-000000000020.json",
    ]);
    const { checkpoint, rejected } = newest();
    expect(rejected).to.deep.equal([]);
    expect(checkpoint).to.include({ entries: 25, block: 25, blockHash: hashOf(25) });
    expect(stateOf(checkpoint)).to.equal("state after 25 entries");
  });

  it("covers the genesis too: a checkpoint of no entries ends at the genesis block", function () {
    write(0);
    expect(newest().checkpoint).to.include({ entries: 0, block: 0, blockHash: hashOf(0) });
  });

  const state = (path: string) => path.replace(/\.json$/, ".state");
  for (const [damage, spoil, reason] of [
    ["0 bytes (killed before its bytes reached the disk)", (p: string) => truncateSync(p, 0), /cannot be read whole/],
    ["torn (killed in the middle of its write)", (p: string) => truncateSync(p, 60), /cannot be read whole/],
    ["left with a 0-byte state file", (p: string) => truncateSync(state(p), 0), /does not match its digest/],
    ["left with a torn state file", (p: string) => truncateSync(state(p), 5), /does not match its digest/],
    [
      "damaged inside its state",
      (p: string) => writeFileSync(state(p), "state after 21 entries"),
      /does not match its digest/,
    ],
    ["without its state file", (p: string) => rmSync(state(p)), /state file cannot be read/],
  ] as const) {
    it(`falls back to the older checkpoint when the newest is ${damage}`, function () {
      write(10);
      const path = write(20);
      spoil(path);
      const { checkpoint, rejected } = newest();
      expect(checkpoint).to.include({ entries: 10 });
      expect(stateOf(checkpoint)).to.equal("state after 10 entries");
      expect(rejected).to.have.length(1);
      expect(rejected[0]).to.match(reason);
    });
  }

  it("falls back to the whole journal when no checkpoint is usable", function () {
    truncateSync(write(10), 0);
    truncateSync(write(20), 0);
    const { checkpoint, rejected } = newest();
    expect(checkpoint).to.equal(undefined);
    expect(rejected).to.have.length(2);
  });

  it("never uses a checkpoint ahead of the journal: its state holds writes the journal does not", function () {
    write(10);
    write(25);
    const { checkpoint, rejected } = newest(entries.slice(0, 20));
    expect(checkpoint).to.include({ entries: 10 });
    expect(rejected[0]).to.match(/covers 25 entries; the journal holds 20/);
  });

  it("never uses a checkpoint whose last block is not the journal's block at that position", function () {
    write(10);
    write(20);
    const other = entries.map((e) => (e.block === 20 ? { ...e, blockHash: hashOf(999) } : e));
    const { checkpoint, rejected } = newest(other);
    expect(checkpoint).to.include({ entries: 10 });
    expect(rejected[0]).to.match(/ends at block 20 0x\w+; the journal's entry 20 is block 20 0x0*a*3e7/);
  });

  it("never uses a checkpoint of another journal or another engine", function () {
    write(20);
    expect(newestUsableCheckpoint(dir, { ...header, genesisHash: hashOf(7) }, entries, ENGINE).rejected[0]).to.match(
      /another journal/,
    );
    expect(newestUsableCheckpoint(dir, header, entries, "other-engine 2").rejected[0]).to.match(
      /dumped by test-engine 1, not other-engine 2/,
    );
  });

  it("ignores, then clears, what a write that a crash interrupted left (a state without description, temp files)", function () {
    write(10);
    const left = join(dir, CHECKPOINT_DIR);
    writeFileSync(join(left, "checkpoint-000000000020.state"), "state after 20 entries");
    writeFileSync(join(left, "checkpoint-000000000020.json.0123456789ab.tmp"), '{"kind":"ipr-chain-checkp');
    expect(newest().checkpoint).to.include({ entries: 10 });
    write(15);
    expect(readdirSync(left).sort()).to.deep.equal([
      "checkpoint-000000000010.json",
      "checkpoint-000000000010.state",
      "checkpoint-000000000015.json",
      "checkpoint-000000000015.state",
    ]);
  });
});
