/**
 * The embedded chain `npm start` runs (`node -r ts-node/register/transpile-only scripts/lib/embeddedChain.ts PORT DIR
 * [OPTIONS_JSON]`, spawned with an IPC channel): a JSON-RPC node on 127.0.0.1:PORT that keeps what it is told. Every
 * state-changing call is journaled in DIR/chain.journal and fsync'ed before it is answered (scripts/lib/journaledChain.ts);
 * started again on the same DIR it holds the same blocks, transactions and hashes as before the stop, however the stop
 * came. Two engines:
 * - anvil (the default for a new DIR, scripts/lib/anvilChain.ts): every `checkpointEvery` journaled writes, and when it
 *   is stopped with SIGTERM, it dumps anvil's state into a checkpoint (scripts/lib/chainCheckpoint.ts). A start boots
 *   anvil from the newest checkpoint that agrees with the journal and replays only the journal's tail after it; with
 *   no usable checkpoint (or `checkpointEvery` 0) it replays the whole journal. Start-up stays short as history grows.
 * - hardhat (a DIR whose journal Hardhat wrote, before issue 9's checkpoints, or OPTIONS `{"engine":"hardhat"}`):
 *   `hardhat node` in this process; it has no state dump, so a start replays the whole journal.
 * A journal is always replayed on the engine that wrote it (it says which in its header): their genesis blocks differ.
 * Either way:
 * - it goes when its parent goes: when the IPC channel closes — the parent exited, even killed with SIGKILL — it exits
 *   (and anvil with it, through its watchdog), so a killed gateway never leaves an orphan chain holding the port;
 * - its clock follows the wall clock (SPEC §4.3): blocks mined within the same second share that second, and after a
 *   replay the clock is put back on the wall clock. (The in-process test network keeps Hardhat's one second per
 *   block, which the tests' dates and the gas snapshot assume.)
 * It tells its parent `{ ready: true, engine, resumed? }` once it listens (`resumed`: what the start restored); an
 * error (the port is taken, the journal is damaged) ends it with a message on stderr and exit code 1. A Ctrl-C in the
 * terminal is for npm start, which stops it with SIGTERM.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { JsonRpcServer } from "hardhat/types";
import {
  ChainJournal,
  JOURNAL_FILE,
  JOURNAL_KIND,
  JOURNAL_VERSION,
  engineOf,
  type ChainEngine,
  type ChainReady,
} from "./chainJournal";
import { CHECKPOINT_DIR, newestUsableCheckpoint, positionAfter, writeCheckpoint } from "./chainCheckpoint";
import {
  JournaledProvider,
  createChain,
  followWallClock,
  replayJournal,
  type Chain,
  type ReplayReport,
} from "./journaledChain";
import { anvilEngine, anvilHooks, startAnvil, type RunningAnvil } from "./anvilChain";

/** What npm start passes as OPTIONS_JSON. */
export interface EmbeddedChainOptions {
  /** The engine of a new DIR (an existing journal keeps its own). */
  engine?: ChainEngine;
  /** Journaled writes between checkpoints (anvil); 0: none, each start replays the whole journal. */
  checkpointEvery?: number;
}
export const CHECKPOINT_EVERY = 1000;

const wholeSecond = (ms: number) => Math.floor(ms / 1000);

async function main() {
  const port = Number(process.argv[2]);
  const dir = process.argv[3];
  const options = JSON.parse(process.argv[4] ?? "{}") as EmbeddedChainOptions;
  if (!process.send || !dir) throw new Error("start me from scripts/start.ts: I need my parent's IPC channel and DIR");
  process.once("disconnect", () => process.exit(0));
  process.on("SIGINT", () => undefined); // a Ctrl-C in the terminal: npm start stops us with SIGTERM

  const path = join(dir, JOURNAL_FILE);
  const existing = ChainJournal.exists(path) ? ChainJournal.open(path) : undefined;
  const engine = existing ? engineOf(existing.header) : (options.engine ?? "anvil");
  if (engine === "hardhat") await runHardhat(port, path, existing);
  else await runAnvil(port, dir, path, existing, options.checkpointEvery ?? CHECKPOINT_EVERY);
}

/** A new journal for the fresh `chain`: its header pins the genesis (date and hash) and the engine. */
async function newJournal(path: string, chain: Chain, chainId: number, initialDate: string, engine: ChainEngine) {
  const genesis = (await chain.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: string };
  return ChainJournal.create(path, {
    kind: JOURNAL_KIND,
    version: JOURNAL_VERSION,
    chainId,
    initialDate,
    genesisHash: genesis.hash,
    createdAt: new Date().toISOString(),
    engine,
  });
}

/** What a start restored: the whole journal, of which `replay` replayed the entries after any checkpoint. */
const resumedReport = (existing: ChainJournal, replay: ReplayReport) => ({
  entries: existing.entries.length,
  blocks: replay.blocks,
  since: existing.header.createdAt,
  replayMs: replay.ms,
  droppedBytes: existing.droppedBytes,
});

/** Hardhat's node in this process, its journal replayed whole (it has no state dump). */
async function runHardhat(port: number, path: string, existing: ChainJournal | undefined) {
  const { default: hre } = await import("hardhat");
  const { TASK_NODE_CREATE_SERVER, TASK_NODE_SERVER_READY } = await import("hardhat/builtin-tasks/task-names");
  // A new journal pins the genesis date to this second; Hardhat's clock then starts there, seconds behind the wall
  // clock by the time the provider is up, which followWallClock makes good.
  const initialDate = existing?.header.initialDate ?? new Date(wholeSecond(Date.now()) * 1000).toISOString();
  const chain = await createChain(hre.config, initialDate);
  await chain.request({ method: "hardhat_setLoggingEnabled", params: [false] });

  let journal: ChainJournal;
  let ready: ChainReady = { ready: true, engine: "Hardhat" };
  if (existing) {
    const replay = await replayJournal(chain, existing.header.genesisHash, existing.entries);
    await followWallClock(chain, existing.last?.offset ?? 0);
    journal = existing;
    ready = { ...ready, resumed: resumedReport(existing, replay) };
  } else {
    journal = await newJournal(path, chain, hre.config.networks.hardhat.chainId, initialDate, "hardhat");
    await followWallClock(chain, 0);
  }
  const logging = hre.userConfig.networks?.hardhat?.loggingEnabled ?? true; // as `hardhat node` does
  await chain.request({ method: "hardhat_setLoggingEnabled", params: [logging] });

  const provider = new JournaledProvider(chain, journal);
  const server: JsonRpcServer = await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port, provider });
  const { address, port: listening } = await server.listen();
  await hre.run(TASK_NODE_SERVER_READY, { address, port: listening, provider, server });
  process.send!(ready);
  await server.waitUntilClosed();
}

/**
 * Anvil booted from the newest checkpoint that agrees with the journal (or from its genesis), the journal's tail
 * replayed into it; checkpoints taken every `every` journaled writes and on SIGTERM.
 */
async function runAnvil(port: number, dir: string, path: string, existing: ChainJournal | undefined, every: number) {
  const engine = anvilEngine();
  let anvil: RunningAnvil;
  let journal: ChainJournal;
  let ready: ChainReady = { ready: true, engine };
  let checkpointed = 0; // the journal entries the newest checkpoint covers
  if (existing) {
    const { header, entries } = existing;
    if (header.chainId !== 31337) throw new Error(`the journal ${path} is of chain ${header.chainId}, not 31337`);
    const genesisTime = wholeSecond(Date.parse(header.initialDate));
    const found = every > 0 ? newestUsableCheckpoint(dir, header, entries, engine) : { rejected: [] };
    const rejected = [...found.rejected];
    let loaded: { entries: number; block: number; loadMs: number } | undefined;
    let booted: RunningAnvil | undefined;
    if (found.checkpoint) {
      const { checkpoint } = found;
      const started = performance.now();
      // anvil boots from a JSON file; the checkpoint keeps anvil_dumpState's gzip bytes (8× smaller to fsync)
      const stateFile = join(dir, CHECKPOINT_DIR, `loading-${process.pid}.json`);
      try {
        writeFileSync(stateFile, gunzipSync(readFileSync(checkpoint.statePath)));
        booted = await startAnvil({ genesisTime, loadState: stateFile, log: "inherit" });
        const head = (await booted.provider.request({
          method: "eth_getBlockByNumber",
          params: ["latest", false],
        })) as { number: string; hash: string };
        if (Number(head.number) !== checkpoint.block || head.hash !== checkpoint.blockHash) {
          await booted.stop();
          booted = undefined;
          throw new Error(`loaded, it ends at block ${Number(head.number)} ${head.hash}`);
        }
        loaded = { entries: checkpoint.entries, block: checkpoint.block, loadMs: performance.now() - started };
        checkpointed = checkpoint.entries;
      } catch (error) {
        rejected.push(`checkpoint ${checkpoint.path} not used: ${(error as Error).message}`);
      } finally {
        rmSync(stateFile, { force: true });
      }
    }
    for (const reason of rejected) process.stderr.write(`${reason}\n`);
    anvil = booted ?? (await startAnvil({ genesisTime, log: "inherit" }));
    const from = loaded ? positionAfter(header, entries, loaded.entries) : undefined;
    const replay = await replayJournal(
      anvil.provider,
      header.genesisHash,
      entries.slice(loaded?.entries ?? 0),
      anvilHooks,
      from,
    );
    await followWallClock(anvil.provider, existing.last?.offset ?? 0);
    journal = existing;
    ready = {
      ...ready,
      resumed: {
        ...resumedReport(existing, replay),
        ...(loaded ? { checkpoint: { ...loaded, loadMs: Math.round(loaded.loadMs) } } : {}),
        rejected,
      },
    };
  } else {
    const genesisTime = wholeSecond(Date.now());
    anvil = await startAnvil({ genesisTime, log: "inherit" });
    journal = await newJournal(path, anvil.provider, 31337, new Date(genesisTime * 1000).toISOString(), "anvil");
    await followWallClock(anvil.provider, 0);
  }

  /** A checkpoint of the state after the journal's entries so far (run in the write queue: nothing moves meanwhile). */
  let attempted = checkpointed; // where the last periodic checkpoint was tried: a failed one is tried again `every` later
  const checkpoint = async () => {
    attempted = journal.length;
    if (journal.length === checkpointed) return;
    const last = journal.last;
    const position = last
      ? { entries: journal.length, block: last.block, blockHash: last.blockHash }
      : { entries: 0, block: 0, blockHash: journal.header.genesisHash };
    const dump = (await anvil.provider.request({ method: "anvil_dumpState" })) as string;
    writeCheckpoint(dir, journal.header, position, engine, Buffer.from(dump.slice(2), "hex"));
    checkpointed = journal.length;
  };
  const provider = new JournaledProvider(
    anvil.provider,
    journal,
    anvilHooks,
    every > 0 ? () => (journal.length - attempted >= every ? checkpoint() : undefined) : undefined,
  );
  const server = await serveJsonRpc(provider, port);

  let stopping = false;
  void anvil.exited.then(() => {
    if (stopping) return;
    process.stderr.write("the embedded chain stopped: anvil exited unexpectedly\n");
    process.exit(1);
  });
  process.once("SIGTERM", () => {
    stopping = true;
    server.close();
    void provider
      .settled()
      .then(() => (every > 0 ? checkpoint() : undefined))
      .catch((error) => process.stderr.write(`no checkpoint at the stop: ${(error as Error).message}\n`))
      .then(() => anvil.stop())
      .then(() => process.exit(0));
  });
  process.send!(ready);
}

/** The JSON-RPC endpoint (HTTP POST, single calls and batches) in front of the journaled provider. */
function serveJsonRpc(provider: JournaledProvider, port: number): Promise<Server> {
  interface Call {
    id?: unknown;
    method?: unknown;
    params?: unknown;
  }
  const answer = async ({ id = null, method, params }: Call) => {
    if (typeof method !== "string")
      return { jsonrpc: "2.0", id, error: { code: -32600, message: "invalid request: no method" } };
    try {
      const result = await provider.request({ method, params: Array.isArray(params) ? params : [] });
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (error) {
      const { code, message, data } = error as { code?: unknown; message?: string; data?: unknown };
      return {
        jsonrpc: "2.0",
        id,
        error: { code: typeof code === "number" ? code : -32603, message: message ?? String(error), data },
      };
    }
  };
  const body = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      request.on("error", reject);
    });
  const server = createServer((request, response) => {
    const reply = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (request.method !== "POST") return reply(405, { error: "JSON-RPC: POST only" });
    void body(request).then(
      async (text) => {
        let calls: unknown;
        try {
          calls = JSON.parse(text);
        } catch {
          return reply(200, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } });
        }
        reply(
          200,
          Array.isArray(calls) ? await Promise.all(calls.map((c) => answer(c as Call))) : await answer(calls as Call),
        );
      },
      () => response.destroy(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

main().catch((error) => {
  process.stderr.write(`the embedded chain stopped: ${(error as Error).message}\n`);
  process.exit(1);
});
