/**
 * Can anvil's state dump be the checkpoint that bounds `npm start`'s start-up (issue 9)? This probe answers the
 * questions a checkpoint + journal-tail design depends on, on the anvil binary that `@foundry-rs/anvil` ships:
 *   (a) a dumped state, loaded into a fresh anvil, keeps blocks, receipts, logs and transaction look-ups — and which
 *       historical state it keeps (an `eth_call` at an old block);
 *   (b) several blocks may share a second (`evm_setNextBlockTimestamp` equal to the parent's, and automine);
 *   (c) a journal tail replayed after `anvil_loadState`, and a full replay into a fresh anvil, give the same
 *       transaction hashes, block numbers and block hashes;
 *   (d) what anvil does that the journaling wrapper must guard against (future nonces, reverts, the clock after a load);
 *   and how long `anvil_loadState` takes as the state grows.
 * It is not part of npm test (anvil is not a dependency yet). Run it with the binary of the npm package:
 *   npm install --no-save @foundry-rs/anvil@1.7.1
 *   npx ts-node --transpile-only bench/anvilProbe.ts            (PROBE_TXS=20000 for a bigger state)
 * or ANVIL=/path/to/anvil. Findings of one run: bench/results/2026-11-28-anvil-probe.md.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Interface, Wallet } from "ethers";
import { TestStablecoin__factory } from "../typechain-types";
import { freePort } from "../test/api/helpers/processes";
import { devWallet } from "./rawTransactions";

type Rpc = (method: string, params?: unknown[]) => Promise<any>;

function anvilBinary(): string {
  if (process.env.ANVIL) return process.env.ANVIL;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const bin = join(__dirname, "..", "node_modules", "@foundry-rs", `anvil-${process.platform}-${arch}`, "bin", "anvil");
  if (!existsSync(bin)) throw new Error("no anvil: `npm install --no-save @foundry-rs/anvil@1.7.1`, or set ANVIL");
  return bin;
}

const nodes: ChildProcess[] = [];
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh anvil (Hardhat's accounts and chain id) with its genesis at `genesisTime`. */
async function anvil(genesisTime: number, extra: string[] = []): Promise<Rpc> {
  const port = await freePort();
  const args = ["--port", String(port), "--accounts", "30", "--silent", "--timestamp", String(genesisTime), ...extra];
  nodes.push(spawn(anvilBinary(), args, { stdio: "inherit" }));
  const rpc: Rpc = async (method, params = []) => {
    const answer = await fetch(`http://127.0.0.1:${port}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const { result, error } = (await answer.json()) as { result?: unknown; error?: { message: string } };
    if (error) throw new Error(`${method}: ${error.message}`);
    return result;
  };
  for (let i = 0; ; i++) {
    try {
      await rpc("eth_chainId");
      return rpc;
    } catch (error) {
      if (i === 3000) throw error;
      await sleep(20);
    }
  }
}

/** Anvil answers eth_sendRawTransaction before the block is mined: wait for the receipt. */
async function receipt(rpc: Rpc, hash: string, ms = 5000) {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(5)) {
    const found = await rpc("eth_getTransactionReceipt", [hash]);
    if (found) return found;
  }
  return undefined;
}

interface Entry {
  raw: string;
  hash: string;
  block: number;
  blockHash: string;
  timestamp: number;
}

async function main() {
  const count = Number(process.env.PROBE_TXS ?? 2000);
  const genesisTime = now();
  const a = await anvil(genesisTime);
  const owner = devWallet(0);
  const coin = new Interface(TestStablecoin__factory.abi);
  const journal: Entry[] = [];
  let nonce = 0;
  const sendRaw = async (rpc: Rpc, tx: { to?: string; data: string }, timestamp?: number) => {
    const raw = await owner.signTransaction({
      ...tx,
      nonce: nonce++,
      gasLimit: 3_000_000,
      maxFeePerGas: 10n ** 11n,
      maxPriorityFeePerGas: 0n,
      chainId: 31337,
      type: 2,
    });
    if (timestamp !== undefined) await rpc("evm_setNextBlockTimestamp", [timestamp]);
    const hash = (await rpc("eth_sendRawTransaction", [raw])) as string;
    const mined = await receipt(rpc, hash);
    const block = await rpc("eth_getBlockByNumber", [mined.blockNumber, false]);
    journal.push({ raw, hash, block: Number(block.number), blockHash: block.hash, timestamp: Number(block.timestamp) });
    return mined;
  };
  const mint = (to = owner.address) => ({ data: coin.encodeFunctionData("mint", [to, 1]) });

  const token = (await sendRaw(a, { data: TestStablecoin__factory.bytecode })).contractAddress as string;
  const deployBlock = journal[0].block;

  // (b) blocks sharing a second
  const parent = journal[0];
  let same = "refused";
  try {
    await sendRaw(a, { to: token, ...mint() }, parent.timestamp);
    same = journal[1].timestamp === parent.timestamp ? "accepted, same second" : `moved to ${journal[1].timestamp}`;
  } catch (error) {
    nonce--;
    same = `refused (${(error as Error).message})`;
  }
  console.log(`(b) evm_setNextBlockTimestamp equal to the parent's: ${same}`);
  const quick = journal.length;
  for (let i = 0; i < 5; i++) await sendRaw(a, { to: token, ...mint() });
  const times = journal.slice(quick).map((e) => e.timestamp - genesisTime);
  console.log(
    `(b) 5 automined blocks in a row, seconds after genesis: ${times.join(", ")} (wall clock: +${now() - genesisTime})`,
  );

  // (d) what the wrapper must guard against
  const ahead = await owner.signTransaction({
    to: token,
    ...mint(),
    nonce: nonce + 5,
    gasLimit: 100_000,
    maxFeePerGas: 10n ** 11n,
    maxPriorityFeePerGas: 0n,
    chainId: 31337,
    type: 2,
  });
  try {
    const queued = await a("eth_sendRawTransaction", [ahead]);
    const mined = await receipt(a, queued, 500);
    const pool = await a("txpool_status");
    console.log(
      `(d) a future nonce is accepted (${mined ? "mined" : "queued, not mined"}; txpool ${JSON.stringify(pool)})`,
    );
    await a("anvil_removePoolTransactions", [owner.address]).catch(() => a("anvil_dropAllTransactions"));
    console.log(`(d) after removing it: txpool ${JSON.stringify(await a("txpool_status"))}`);
  } catch (error) {
    console.log(`(d) a future nonce is refused: ${(error as Error).message}`);
  }
  const reverted = await sendRaw(a, { to: token, data: "0xdeadbeef" });
  console.log(`(d) a reverting raw transaction: answered with its hash, receipt status ${Number(reverted.status)}`);

  const fillStarted = performance.now();
  for (let i = 0; i < count; i++) await sendRaw(a, { to: token, ...mint(Wallet.createRandom().address) });
  console.log(`filled ${count} transactions in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

  let started = performance.now();
  const dump = (await a("anvil_dumpState")) as string;
  console.log(
    `anvil_dumpState: ${(performance.now() - started).toFixed(0)} ms, ${(dump.length / 2 / 1e6).toFixed(1)} MB`,
  );
  const cut = journal.length;
  for (let i = 0; i < 20; i++) await sendRaw(a, { to: token, ...mint() });

  // (a) load into a fresh anvil: by RPC, and (as anvil_loadState refuses large requests) from a file at boot
  let b = await anvil(genesisTime);
  started = performance.now();
  try {
    await b("anvil_loadState", [dump]);
    console.log(`anvil_loadState: ${(performance.now() - started).toFixed(0)} ms for ${cut} blocks`);
  } catch (error) {
    console.log(`anvil_loadState of ${(dump.length / 2 / 1e6).toFixed(1)} MB: ${(error as Error).message}`);
  }
  const bytes = Buffer.from(dump.slice(2), "hex");
  const stateFile = join(mkdtempSync(join(tmpdir(), "ipr-anvil-probe-")), "state.json");
  writeFileSync(stateFile, bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes);
  started = performance.now();
  b = await anvil(genesisTime, ["--load-state", stateFile]);
  const boot = performance.now() - started;
  console.log(
    `anvil --load-state (${(statSync(stateFile).size / 1e6).toFixed(1)} MB JSON): ready in ${boot.toFixed(0)} ms`,
  );
  const head = await b("eth_getBlockByNumber", ["latest", false]);
  console.log(
    `(a) head after the load: block ${Number(head.number)}, hash ${head.hash === journal[cut - 1].blockHash ? "identical" : "DIFFERENT"}`,
  );
  const old = await b("eth_getTransactionReceipt", [journal[0].hash]);
  console.log(`(a) the deployment's receipt: ${old?.contractAddress === token ? "identical address" : "MISSING"}`);
  const filter = { address: token, toBlock: head.number };
  for (const fromBlock of ["0x0", `0x${deployBlock.toString(16)}`]) {
    const loaded = await b("eth_getLogs", [{ ...filter, fromBlock }]);
    const original = await a("eth_getLogs", [{ ...filter, fromBlock }]);
    const same = JSON.stringify(loaded) === JSON.stringify(original);
    console.log(`(a) eth_getLogs from ${fromBlock}: ${loaded.length} logs, ${same ? "identical" : "DIFFERENT"}`);
  }
  const balance = { to: token, data: coin.encodeFunctionData("balanceOf", [owner.address]) };
  try {
    await b("eth_call", [balance, `0x${(cut - 2).toString(16)}`]);
    console.log("(a) eth_call at an old block after the load: answered");
  } catch (error) {
    console.log(`(a) eth_call at an old block after the load: ${(error as Error).message}`);
  }

  // (c) the tail after the load, and the whole journal into a fresh anvil
  const replay = async (rpc: Rpc, entries: Entry[]) => {
    let identical = 0;
    for (const entry of entries) {
      await rpc("evm_setNextBlockTimestamp", [entry.timestamp]);
      const hash = await rpc("eth_sendRawTransaction", [entry.raw]);
      const mined = await receipt(rpc, hash);
      const block = await rpc("eth_getBlockByNumber", [mined.blockNumber, false]);
      if (hash === entry.hash && Number(block.number) === entry.block && block.hash === entry.blockHash) identical++;
    }
    return `${identical}/${entries.length} identical (hash, block number, block hash)`;
  };
  console.log(`(c) tail replayed after the load: ${await replay(b, journal.slice(cut))}`);
  const c = await anvil(genesisTime);
  started = performance.now();
  const full = await replay(c, journal);
  console.log(`(c) full replay into a fresh anvil: ${full}, ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // (d) the clock after a load: anvil restores the dump's time; a block mined at once could go back in time
  const d = await anvil(genesisTime, ["--load-state", stateFile]);
  console.log(`(d) clock offset after a load (evm_increaseTime(0)): ${await d("evm_increaseTime", [0])} s`);
}

main()
  .catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  })
  .finally(() => nodes.forEach((node) => node.kill()));
