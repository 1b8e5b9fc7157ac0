/**
 * A chain that keeps a write-ahead journal (scripts/lib/chainJournal.ts) and is rebuilt from it on start: Hardhat's
 * in-process chain, or anvil over HTTP (scripts/lib/anvilChain.ts, whose `anvilHooks` wait for each receipt).
 *
 * - `JournaledProvider` wraps the provider that the JSON-RPC server answers from. Every state-changing
 *   call runs one at a time and is appended to the journal — with the block it produced, that block's timestamp and
 *   hash — and fsync'ed before its answer is returned. A read waits until the writes before it are on disk, so
 *   nobody ever sees state that a crash could take back. Calls that cannot be replayed faithfully (snapshots,
 *   reverts, resets, dropping or holding back transactions) are refused with a message that says why.
 * - `replayJournal` sends the journal's calls again, in order, into a fresh chain with the same genesis
 *   (`initialDate` pinned) and each block's recorded timestamp: the transaction hashes, block numbers, log indexes and
 *   block hashes come out identical, and it checks that they do.
 * - `followWallClock` then puts the chain's clock back on the wall clock (SPEC §4.3): after a replay Hardhat's clock
 *   stands at the last replayed block's time, which is in the past.
 */
import type { HardhatConfig } from "hardhat/types";
import type { EthereumProvider, RequestArguments } from "hardhat/types";
import { ProviderError } from "hardhat/internal/core/providers/errors";
import type { ChainJournal, JournalEntry } from "./chainJournal";

/** Calls that change the chain's state: journaled. */
const JOURNALED = new Set([
  "eth_sendRawTransaction",
  "eth_sendTransaction", // from the node's unlocked accounts: the demo bootstrap deploys with them
  "evm_mine",
  "evm_increaseTime",
  "evm_setNextBlockTimestamp",
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setNonce",
  "hardhat_setStorageAt",
  "hardhat_impersonateAccount",
  "hardhat_stopImpersonatingAccount",
  "hardhat_setNextBlockBaseFeePerGas",
  "hardhat_setPrevRandao",
  "hardhat_setCoinbase",
  "hardhat_setMinGasPrice",
  // anvil's names for the same (scripts/lib/anvilChain.ts)
  "anvil_setBalance",
  "anvil_setCode",
  "anvil_setNonce",
  "anvil_setStorageAt",
  "anvil_impersonateAccount",
  "anvil_stopImpersonatingAccount",
  "anvil_autoImpersonateAccount",
  "anvil_setNextBlockBaseFeePerGas",
  "anvil_setCoinbase",
  "anvil_setMinGasPrice",
]);

/** Calls that would make the journal disagree with the chain (or its replay): refused, with the reason. */
const REFUSED: Record<string, string> = {
  evm_snapshot: "a snapshot's revert would take back journaled writes",
  evm_revert: "it would take back journaled writes",
  hardhat_reset: "it would forget journaled writes (start empty with `npm start -- --reset`)",
  hardhat_mine: "it mines many blocks in one call (use evm_mine)",
  evm_setAutomine: "every transaction is mined, and journaled, as it arrives",
  evm_setIntervalMining: "every transaction is mined, and journaled, as it arrives",
  evm_setBlockGasLimit: "it is not replayed",
  hardhat_dropTransaction: "every transaction is mined as it arrives",
  hardhat_setLoggingEnabled: "the chain's log is set by npm start",
};
/** anvil's calls that no journal entry describes (scripts/lib/anvilChain.ts): refused unless journaled or reads. */
const ANVIL_READS = new Set(["anvil_nodeInfo", "anvil_metadata", "anvil_dumpState"]);
const refusalOf = (method: string): string | undefined =>
  REFUSED[method] ??
  ((method.startsWith("anvil_") || method.startsWith("evm_")) && !JOURNALED.has(method) && !ANVIL_READS.has(method)
    ? "it would change the chain in a way the journal does not replay"
    : undefined);

/** What an engine needs done around a journaled call (anvil: scripts/lib/anvilChain.ts `anvilHooks`). */
export interface CallHooks {
  /** May refuse the call (throw) before it reaches the chain. */
  before?(chain: Chain, args: RequestArguments): Promise<void>;
  /** Runs once the chain answered: e.g. waits until a sent transaction is mined. */
  after?(chain: Chain, args: RequestArguments, result: unknown): Promise<void>;
}

/** The provider a journaled chain runs on: Hardhat's in-process provider, or anvil over HTTP. */
export interface Chain {
  request(args: RequestArguments): Promise<unknown>;
  addListener(event: string, listener: (...args: any[]) => void): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}

/** Method not supported (EIP-1474). */
const UNSUPPORTED = -32004;

export class ReplayDivergedError extends Error {
  constructor(index: number, entry: JournalEntry, what: string) {
    super(
      `replaying the chain journal diverged at entry ${index + 1} (${entry.method}, block ${entry.block}): ${what}. ` +
        "The journal was written by another version of the contracts or of Hardhat; start empty with " +
        "`npm start -- --reset`, or run the version that wrote it.",
    );
    this.name = "ReplayDivergedError";
  }
}

interface Block {
  number: number;
  timestamp: number;
  hash: string;
}

async function latestBlock(chain: Chain): Promise<Block> {
  const block = (await chain.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    number: string;
    timestamp: string;
    hash: string;
  };
  return { number: Number(block.number), timestamp: Number(block.timestamp), hash: block.hash };
}

/** The chain clock's offset from the wall clock, in seconds (Hardhat answers `evm_increaseTime(0)` with it). */
export async function clockOffset(chain: Chain): Promise<number> {
  return Number(await chain.request({ method: "evm_increaseTime", params: [0] }));
}

/** A fresh Hardhat chain as configured, whose genesis is dated `initialDate` and whose blocks may share a second. */
export function createChain(config: HardhatConfig, initialDate: string): Promise<EthereumProvider> {
  // Blocks mined within the same second share it, instead of each automined block taking the next second, which ran
  // the chain's clock ahead of the wall clock under many quick writes (SPEC §4.3).
  const hardhat = { ...config.networks.hardhat, allowBlocksWithSameTimestamp: true, initialDate };
  // Loaded here, not at the top: the anvil engine does without Hardhat's provider (and its load time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createProvider } = require("hardhat/internal/core/providers/construction") as {
    createProvider: (config: HardhatConfig, network: string) => Promise<EthereumProvider>;
  };
  return createProvider({ ...config, networks: { ...config.networks, hardhat } }, "hardhat");
}

export class JournaledProvider {
  /** The last journaled write (settled either way): every call starts after it. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Set when an append failed: the chain holds a write the journal does not, so it answers nothing more. */
  private broken?: Error;

  constructor(
    private readonly chain: Chain,
    private readonly journal: ChainJournal,
    private readonly hooks: CallHooks = {},
    /** Runs after each journaled write, before the next call: where checkpoints are taken. */
    private readonly afterWrite?: () => Promise<void> | void,
  ) {}

  /** Resolves once every write so far (and what runs after it) is done. */
  settled(): Promise<unknown> {
    return this.writes;
  }

  request(args: RequestArguments): Promise<unknown> {
    const refusal = refusalOf(args.method);
    if (refusal !== undefined) {
      return Promise.reject(
        new ProviderError(
          `${args.method} is not available on this chain, which journals its writes: ${refusal}`,
          UNSUPPORTED,
        ),
      );
    }
    const run = this.writes.then(() => {
      if (this.broken) throw this.broken;
      return JOURNALED.has(args.method) ? this.journaled(args) : this.chain.request(args);
    });
    if (JOURNALED.has(args.method)) {
      const afterWrite = this.afterWrite;
      this.writes = run.catch(() => undefined).then(afterWrite && (() => this.runAfterWrite(afterWrite)));
    }
    return run;
  }

  private async runAfterWrite(afterWrite: () => Promise<void> | void) {
    try {
      await afterWrite();
    } catch (error) {
      // A checkpoint is only a shortcut: the journal holds the write whatever happens here.
      process.stderr.write(`after a journaled write: ${(error as Error).message}\n`);
    }
  }

  // The JSON-RPC server subscribes to the provider's notifications (eth_subscribe over WebSocket).
  addListener(event: string, listener: (...args: any[]) => void) {
    this.chain.addListener(event, listener);
    return this;
  }

  on(event: string, listener: (...args: any[]) => void) {
    this.chain.on(event, listener);
    return this;
  }

  removeListener(event: string, listener: (...args: any[]) => void) {
    this.chain.removeListener(event, listener);
    return this;
  }

  private async journaled({ method, params = [] }: RequestArguments): Promise<unknown> {
    const list = params as unknown[];
    const before = await latestBlock(this.chain);
    let result: unknown;
    let failure: (Error & { transactionHash?: string; data?: { transactionHash?: string } }) | undefined;
    await this.hooks.before?.(this.chain, { method, params: list }); // may refuse it: then nothing changed
    try {
      result = await this.chain.request({ method, params: list });
      await this.hooks.after?.(this.chain, { method, params: list }, result);
    } catch (error) {
      failure = error as typeof failure;
    }
    const after = await latestBlock(this.chain);
    // A failed call that mined nothing changed nothing (a bad nonce, too little gas): nothing to journal.
    if (failure && after.number === before.number) throw failure;
    const entry: JournalEntry = {
      method,
      params: list,
      block: after.number,
      timestamp: after.timestamp,
      blockHash: after.hash,
      offset: await clockOffset(this.chain),
    };
    if (failure) {
      // Mined but reverted: Hardhat answers with an error that carries the transaction's hash.
      const transactionHash = failure.transactionHash ?? failure.data?.transactionHash;
      entry.error = { message: failure.message, ...(transactionHash ? { transactionHash } : {}) };
    } else entry.result = result;
    try {
      this.journal.append(entry);
    } catch (error) {
      this.broken = new ProviderError(
        `the chain journal cannot be written (${(error as Error).message}): this write was not kept, and the chain ` +
          "answers nothing more until it is restarted (it then resumes from the journal, without this write)",
        -32603,
      );
      process.stderr.write(`${this.broken.message}\n`);
      throw this.broken;
    }
    if (failure) throw failure;
    return result;
  }
}

export interface ReplayReport {
  entries: number;
  blocks: number;
  ms: number;
}

/**
 * Send the journal's calls again into `chain` (fresh, with the journal's genesis), each block at its recorded time.
 * Checks each answer and the last block's hash against the journal.
 */
export async function replayJournal(
  chain: Chain,
  genesisHash: string,
  entries: readonly JournalEntry[],
  hooks: CallHooks = {},
  /** Where `chain` stands already (a checkpoint was loaded into it): `entries` are the journal's tail after it. */
  from?: { block: number; blockHash: string },
): Promise<ReplayReport> {
  const started = performance.now();
  let previous = await latestBlock(chain);
  if (from && (previous.number !== from.block || previous.hash !== from.blockHash)) {
    throw new Error(
      `the loaded checkpoint ends at block ${previous.number} ${previous.hash}, not at the journal's ` +
        `${from.block} ${from.blockHash}`,
    );
  }
  if (!from && previous.hash !== genesisHash) {
    throw new Error(
      `this chain's genesis ${previous.hash} is not the journal's ${genesisHash}: the chain id, the accounts or the ` +
        "hardfork in hardhat.config.ts changed since the journal was started; start empty with `npm start -- --reset`",
    );
  }
  let blockNumber = previous.number;
  for (const [index, entry] of entries.entries()) {
    const mined = entry.block - blockNumber;
    if (mined < 0 || mined > 1) throw new ReplayDivergedError(index, entry, `it is recorded as mining ${mined} blocks`);
    if (mined === 1) await chain.request({ method: "evm_setNextBlockTimestamp", params: [entry.timestamp] });
    let result: unknown;
    let failure: Error | undefined;
    try {
      result = await chain.request({ method: entry.method, params: entry.params });
      await hooks.after?.(chain, entry, result);
    } catch (error) {
      failure = error as Error;
    }
    if (failure && !entry.error) throw new ReplayDivergedError(index, entry, `it now fails: ${failure.message}`);
    if (!failure && entry.error) throw new ReplayDivergedError(index, entry, `it failed then (${entry.error.message})`);
    if (!failure && entry.result !== undefined && JSON.stringify(result) !== JSON.stringify(entry.result)) {
      throw new ReplayDivergedError(
        index,
        entry,
        `it answered ${JSON.stringify(result)}, not ${JSON.stringify(entry.result)}`,
      );
    }
    blockNumber = entry.block;
  }
  const last = await latestBlock(chain);
  const expected = entries.length > 0 ? entries[entries.length - 1] : undefined;
  if (expected && (last.number !== expected.block || last.hash !== expected.blockHash)) {
    throw new ReplayDivergedError(
      entries.length - 1,
      expected,
      `the last block is ${last.number} ${last.hash}, not ${expected.block} ${expected.blockHash}`,
    );
  }
  return { entries: entries.length, blocks: last.number, ms: Math.round(performance.now() - started) };
}

/**
 * Put the chain's clock back to `offset` seconds from the wall clock (0 unless a journaled call travelled in time).
 * Hardhat cannot move its clock back: if it is ahead (the wall clock went back), it stays ahead, and says by how much.
 */
export async function followWallClock(chain: Chain, offset: number): Promise<{ aheadBy: number }> {
  const behind = offset - (await clockOffset(chain));
  if (behind > 0) await chain.request({ method: "evm_increaseTime", params: [behind] });
  return { aheadBy: Math.max(0, -behind) };
}
