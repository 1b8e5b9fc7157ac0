/**
 * Anvil (the `@foundry-rs/anvil` npm package's binary) as the embedded chain's engine (issue 9): unlike Hardhat's
 * node it can dump its state (`anvil_dumpState`) and boot from a dump (`--load-state`), so a start loads the newest
 * checkpoint and replays only the journal's tail (scripts/lib/embeddedChain.ts).
 *
 * - `startAnvil` runs it on a free local port with Hardhat's chain id (31337), mnemonic and 30 accounts, its genesis
 *   dated `genesisTime`. It is started behind a watchdog shell in its own session: a Ctrl-C in the terminal does not
 *   reach it (the parent stops it after its last checkpoint), and when the parent goes — even on `kill -9`, of the
 *   parent alone or of its process group — the watchdog reads the end of its pipe and kills it: never an orphan.
 * - `AnvilProvider` speaks JSON-RPC to it; anvil's errors (code, message, revert data) are passed on unchanged.
 * - `anvilHooks` are what the journaling provider (scripts/lib/journaledChain.ts) must do on anvil that it need not on
 *   Hardhat: anvil answers a sent transaction with its hash before the block is mined (so its receipt is awaited
 *   before the block is read and journaled), queues a transaction with a future nonce to mine it later inside another
 *   call's block (so such a transaction is refused), and has more calls that would take back or reorder blocks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Transaction } from "ethers";
import type { RequestArguments } from "hardhat/types";

/** Hardhat's development mnemonic (the demo accounts): the same accounts on both engines. */
const MNEMONIC = "test test test test test test test test test test test junk";
const CHAIN_ID = 31337;
const ACCOUNTS = 30;

const platformPackage = () =>
  `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;

/** The anvil binary inside the npm package for this platform. */
export function anvilBinary(): string {
  try {
    return join(require.resolve(`${platformPackage()}/package.json`), "..", "bin", "anvil");
  } catch {
    throw new Error(
      `anvil is not installed (${platformPackage()}, a dependency of @foundry-rs/anvil): run \`npm install\``,
    );
  }
}

/** "anvil 1.7.1": written into each checkpoint, since only the same engine can load its dump. */
export function anvilEngine(): string {
  const { version } = JSON.parse(readFileSync(require.resolve(`${platformPackage()}/package.json`), "utf8")) as {
    version: string;
  };
  return `anvil ${version}`;
}

/** An error anvil answered, with its JSON-RPC code and data (e.g. a custom error's revert data). */
export class AnvilError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export class AnvilProvider {
  private id = 0;
  constructor(readonly url: string) {}

  async request({ method, params = [] }: RequestArguments): Promise<unknown> {
    const answer = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++this.id, method, params }),
    });
    const body = (await answer.json()) as {
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    if (body.error) throw new AnvilError(body.error.message, body.error.code, body.error.data);
    return body.result;
  }

  // The journaling provider forwards subscriptions; this HTTP provider has none.
  addListener() {
    return this;
  }
  on() {
    return this;
  }
  removeListener() {
    return this;
  }
}

/**
 * A port nobody listens on right now, picked below Linux's ephemeral range (32768–60999): a port the OS hands out for
 * `listen(0)` can be taken again, before it is bound, as the local port of one of the many outgoing connections a
 * start makes. The listener is closed at once. (The tests pick their ports with it too.)
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

export interface RunningAnvil {
  provider: AnvilProvider;
  process: ChildProcess;
  /** Resolves when anvil has exited. */
  exited: Promise<void>;
  /** Stop anvil and wait for it to exit. */
  stop(): Promise<void>;
}

/**
 * Start anvil with its genesis at `genesisTime` (or from the state file `loadState`), its output appended to the file
 * descriptor `log`; resolves once it answers.
 */
export async function startAnvil(options: {
  genesisTime: number;
  loadState?: string;
  log: number | "ignore" | "inherit";
}) {
  const port = await freePort();
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--chain-id",
    String(CHAIN_ID),
    "--mnemonic",
    MNEMONIC,
    "--accounts",
    String(ACCOUNTS),
    "--timestamp",
    String(options.genesisTime),
    "--silent",
    ...(options.loadState ? ["--load-state", options.loadState] : []),
  ];
  // The watchdog: anvil in the background; a subshell reads the pipe from this process and kills anvil at its end
  // (this process exited, however); the shell exits when anvil does. (The pipe is read through fd 3: a background
  // command of a non-interactive shell gets /dev/null as its standard input.)
  const watchdog = 'exec 3<&0; "$0" "$@" </dev/null & a=$!; (read _ <&3; kill $a 2>/dev/null) & exec 3<&-; wait $a';
  const child = spawn("/bin/sh", ["-c", watchdog, anvilBinary(), ...args], {
    detached: true, // its own session: a Ctrl-C to npm start's terminal is for npm start to handle
    stdio: ["pipe", options.log, options.log],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const provider = new AnvilProvider(`http://127.0.0.1:${port}`);
  let gone = false;
  void exited.then(() => (gone = true));
  for (const deadline = Date.now() + 120_000; ;) {
    try {
      await provider.request({ method: "eth_chainId" });
      break;
    } catch (error) {
      if (gone || Date.now() > deadline) {
        child.stdin?.end();
        throw new Error(`anvil did not start (${gone ? "it exited" : (error as Error).message})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const stop = async () => {
    child.stdin?.end();
    await exited;
  };
  return { provider, process: child, exited, stop } satisfies RunningAnvil;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sent transactions: anvil answers them with the hash before the block is mined. */
const SENDS = new Set(["eth_sendRawTransaction", "eth_sendTransaction"]);

/** How long a sent transaction may take to be mined before it is dropped (anvil mines each one as it arrives). */
const RECEIPT_WAIT_MS = 30_000;

/**
 * What the journaling provider does around a call on anvil:
 * - before: refuse a transaction whose nonce is ahead of its sender's (anvil would queue it, then mine it later
 *   inside the block of another call, which the journal would record without it);
 * - after: await a sent transaction's receipt, so that the block journaled is the one that holds it; if anvil does
 *   not mine it (e.g. its fee is below the base fee), drop it from the pool and fail the call.
 */
export const anvilHooks = {
  async before(chain: AnvilProvider | { request(a: RequestArguments): Promise<unknown> }, args: RequestArguments) {
    if (!SENDS.has(args.method)) return;
    const [sent] = (args.params ?? []) as unknown[];
    let from: string | undefined;
    let nonce: number | undefined;
    if (args.method === "eth_sendRawTransaction") {
      try {
        const tx = Transaction.from(sent as string);
        [from, nonce] = [tx.from ?? undefined, tx.nonce];
      } catch {
        return; // anvil refuses it with its own message
      }
    } else {
      const tx = sent as { from?: string; nonce?: string };
      [from, nonce] = [tx.from, tx.nonce === undefined ? undefined : Number(tx.nonce)];
    }
    if (from === undefined || nonce === undefined) return;
    const next = Number(await chain.request({ method: "eth_getTransactionCount", params: [from, "pending"] }));
    if (nonce > next) {
      throw new AnvilError(
        `nonce too high: the sender's next nonce is ${next}, not ${nonce}. This chain mines each transaction as it ` +
          "arrives, so it does not queue one for later",
        -32000,
      );
    }
  },

  async after(chain: { request(a: RequestArguments): Promise<unknown> }, args: RequestArguments, result: unknown) {
    if (!SENDS.has(args.method) || typeof result !== "string") return;
    for (let waited = 0, pause = 0; waited < RECEIPT_WAIT_MS; waited += pause, pause = Math.min(pause + 1, 20)) {
      if (await chain.request({ method: "eth_getTransactionReceipt", params: [result] })) return;
      await sleep(pause);
    }
    await chain.request({ method: "anvil_dropTransaction", params: [result] });
    throw new AnvilError(`transaction ${result} was not mined within ${RECEIPT_WAIT_MS} ms: dropped`, -32000);
  },
};
