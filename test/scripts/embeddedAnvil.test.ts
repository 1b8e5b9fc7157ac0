/**
 * The embedded chain on anvil (scripts/lib/embeddedChain.ts, scripts/lib/anvilChain.ts), as npm start runs it: a
 * child process with an IPC channel, here with a checkpoint every 3 journaled writes. A restart — after SIGTERM or
 * after kill -9 — boots anvil from the newest checkpoint and replays only the journal's tail: the same transaction
 * hashes, block numbers and block hashes. A damaged newest checkpoint is passed over for the older one; a killed
 * chain leaves no anvil behind; a future nonce is refused; the clock is back on the wall clock.
 */
import { expect } from "chai";
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChainReady } from "../../scripts/lib/chainJournal";
import { CHECKPOINT_DIR, checkpointPaths } from "../../scripts/lib/chainCheckpoint";
import { devWallet } from "../../bench/rawTransactions";
import { ROOT } from "../api/helpers/mainJob";
import { chainAnswers, freePort } from "../api/helpers/processes";

const EVERY = 3;
const relayer = devWallet(0);
const wallSeconds = () => Math.floor(Date.now() / 1000);

interface Sent {
  hash: string;
  block: number;
  blockHash: string;
}

class Chain {
  log = "";
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly ready: ChainReady,
  ) {}

  static async start(dir: string, port: number, options: object = { checkpointEvery: EVERY }): Promise<Chain> {
    const child = fork(join(ROOT, "scripts/lib/embeddedChain.ts"), [String(port), dir, JSON.stringify(options)], {
      cwd: ROOT,
      execArgv: ["-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let log = "";
    child.stdout!.on("data", (chunk) => (log += chunk));
    child.stderr!.on("data", (chunk) => (log += chunk));
    const ready = await new Promise<ChainReady>((resolve, reject) => {
      child.once("message", (message) => resolve(message as ChainReady));
      child.once("exit", (code) => reject(new Error(`the embedded chain exited with ${code}:\n${log}`)));
    });
    const chain = new Chain(child, `http://127.0.0.1:${port}`, ready);
    chain.log = log;
    child.stdout!.on("data", (chunk) => (chain.log += chunk));
    child.stderr!.on("data", (chunk) => (chain.log += chunk));
    return chain;
  }

  async rpc(method: string, params: unknown[] = []): Promise<any> {
    const answer = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const { result, error } = (await answer.json()) as { result?: unknown; error?: { message: string } };
    if (error) throw new Error(error.message);
    return result;
  }

  /** A transfer signed here, sent raw; answered once mined (the journal's entry is on disk). */
  async send(nonce: number, value = 1n): Promise<Sent> {
    const raw = await relayer.signTransaction({
      to: devWallet(1).address,
      value,
      nonce,
      gasLimit: 21_000,
      maxFeePerGas: 10n ** 11n,
      maxPriorityFeePerGas: 0n,
      chainId: 31337,
      type: 2,
    });
    const hash = (await this.rpc("eth_sendRawTransaction", [raw])) as string;
    const receipt = await this.rpc("eth_getTransactionReceipt", [hash]);
    expect(receipt, "mined before it is answered").to.not.equal(null);
    return { hash, block: Number(receipt.blockNumber), blockHash: receipt.blockHash };
  }

  async stop(signal: NodeJS.Signals) {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }

  /** The anvil process behind it (its watchdog shell's child). */
  anvilPids(): number[] {
    return childrenOf(this.child.pid!).flatMap((sh) =>
      childrenOf(sh).filter((pid) => cmdline(pid).split("\0")[0].endsWith("/anvil")),
    );
  }
}

const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
};
const alive = (pid: number) => cmdline(pid) !== "";

describe("the embedded chain on anvil: checkpoints and the journal's tail", function () {
  this.timeout(180_000);
  let dir: string;
  let port: number;
  let chain: Chain | undefined;
  const sent: Sent[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "ipr-embedded-anvil-"));
    port = await freePort();
  });
  after(async () => {
    if (chain?.child.exitCode === null) await chain.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every transaction sent so far is there: same hash, block number and block hash. */
  async function expectAllKept(c: Chain) {
    for (const s of sent) {
      const receipt = await c.rpc("eth_getTransactionReceipt", [s.hash]);
      expect([Number(receipt?.blockNumber), receipt?.blockHash], s.hash).to.deep.equal([s.block, s.blockHash]);
    }
    const head = await c.rpc("eth_getBlockByNumber", ["latest", false]);
    expect(Number(head.number)).to.equal(sent.at(-1)!.block);
  }

  it("starts a new register on anvil, chain id 31337, with Hardhat's accounts", async () => {
    chain = await Chain.start(dir, port);
    expect(chain.ready.engine).to.match(/^anvil \d/);
    expect(chain.ready.resumed).to.equal(undefined);
    expect(Number(await chain.rpc("eth_chainId"))).to.equal(31337);
    expect((await chain.rpc("eth_accounts"))[0].toLowerCase()).to.equal(relayer.address.toLowerCase());
    for (let nonce = 0; nonce < 7; nonce++) sent.push(await chain.send(nonce));
    // 7 writes, a checkpoint every 3: after the 3rd and the 6th
    expect(checkpointPaths(dir).map((p) => p.slice(-17))).to.deep.equal(["000000000006.json", "000000000003.json"]);
  });

  it("blocks carry the wall clock's second (several may share it)", async () => {
    const head = await chain!.rpc("eth_getBlockByNumber", ["latest", false]);
    expect(Math.abs(Number(head.timestamp) - wallSeconds())).to.be.at.most(2);
  });

  it("refuses a transaction with a future nonce (anvil would mine it later, inside another call's block)", async () => {
    const raw = await relayer.signTransaction({
      to: relayer.address,
      nonce: 9,
      gasLimit: 21_000,
      maxFeePerGas: 10n ** 11n,
      maxPriorityFeePerGas: 0n,
      chainId: 31337,
      type: 2,
    });
    let refusal = "";
    await chain!.rpc("eth_sendRawTransaction", [raw]).catch((e: Error) => (refusal = e.message));
    expect(refusal).to.match(/nonce too high: the sender's next nonce is 7, not 9/);
    expect((await chain!.rpc("txpool_status")).queued).to.equal("0x0");
  });

  it("refuses calls that would take back or reorder journaled blocks", async () => {
    for (const method of ["evm_snapshot", "anvil_reset", "anvil_mine", "anvil_setTime", "anvil_dropAllTransactions"]) {
      let refusal = "";
      await chain!.rpc(method, []).catch((e: Error) => (refusal = e.message));
      expect(refusal, method).to.match(/is not available on this chain, which journals its writes/);
    }
  });

  it("after kill -9: loads the newest checkpoint, replays the tail after it, and anvil went with it", async () => {
    const anvil = chain!.anvilPids();
    expect(anvil, "its anvil process").to.have.length(1);
    await chain!.stop("SIGKILL");
    for (const deadline = Date.now() + 10_000; alive(anvil[0]) && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(anvil[0]), "anvil is gone with the chain that started it").to.equal(false);
    expect(await chainAnswers(`http://127.0.0.1:${port}`)).to.equal(false);

    chain = await Chain.start(dir, port);
    expect(chain.ready.resumed).to.deep.include({ entries: 7, rejected: [] });
    expect(chain.ready.resumed!.checkpoint).to.include({ entries: 6, block: sent[5].block });
    await expectAllKept(chain);
    sent.push(await chain.send(7)); // the chain goes on after the tail
    expect(sent.at(-1)!.block).to.equal(sent[6].block + 1);
  });

  it("after SIGTERM: a checkpoint of everything, so nothing to replay", async () => {
    sent.push(await chain!.send(8));
    await chain!.stop("SIGTERM");
    expect(checkpointPaths(dir)[0]).to.match(/checkpoint-000000000009\.json$/);
    chain = await Chain.start(dir, port);
    expect(chain.ready.resumed!.checkpoint).to.include({ entries: 9 });
    await expectAllKept(chain);
    const head = await chain.rpc("eth_getBlockByNumber", ["latest", false]);
    sent.push(await chain.send(9));
    const block = await chain.rpc("eth_getBlockByNumber", ["latest", false]);
    expect(Number(block.timestamp), "the clock is back on the wall clock after the load").to.be.at.least(
      Number(head.timestamp),
    );
    expect(Math.abs(Number(block.timestamp) - wallSeconds())).to.be.at.most(2);
  });

  it("with its newest checkpoint damaged: passes it over, loads the older one, and replays a longer tail", async () => {
    await chain!.stop("SIGKILL");
    const [newest, older] = checkpointPaths(dir);
    writeFileSync(newest.replace(/\.json$/, ".state"), "damaged");
    chain = await Chain.start(dir, port);
    const { resumed } = chain.ready;
    expect(resumed!.rejected).to.have.length(1);
    expect(resumed!.rejected![0]).to.match(/does not match its digest/);
    expect(resumed!.checkpoint!.entries).to.equal(Number(/(\d+)\.json$/.exec(older)![1]));
    await expectAllKept(chain);
    expect(readdirSync(join(dir, CHECKPOINT_DIR)).filter((n) => n.startsWith("loading-"))).to.deep.equal([]);
  });

  it("with no usable checkpoint: replays the whole journal", async () => {
    await chain!.stop("SIGKILL");
    for (const path of checkpointPaths(dir)) writeFileSync(path, "");
    chain = await Chain.start(dir, port);
    expect(chain.ready.resumed!.checkpoint).to.equal(undefined);
    expect(chain.ready.resumed!.rejected).to.have.length(2);
    await expectAllKept(chain);
  });
});

describe("a register whose journal Hardhat wrote (before the checkpoints)", function () {
  this.timeout(180_000);
  let dir: string;
  let chain: Chain | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "ipr-embedded-hardhat-"));
  });
  after(async () => {
    if (chain?.child.exitCode === null) await chain.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("is resumed on Hardhat, the engine that wrote it, whatever the default: the same hashes and blocks", async () => {
    const port = await freePort();
    chain = await Chain.start(dir, port, { engine: "hardhat" });
    expect(chain.ready.engine).to.equal("Hardhat");
    const sent = [await chain.send(0), await chain.send(1)];
    await chain.stop("SIGKILL");
    chain = await Chain.start(dir, port, {}); // the default engine for a new register is anvil
    expect(chain.ready.engine).to.equal("Hardhat");
    expect(chain.ready.resumed).to.include({ entries: 2 });
    for (const s of sent) {
      const receipt = await chain.rpc("eth_getTransactionReceipt", [s.hash]);
      expect([Number(receipt.blockNumber), receipt.blockHash]).to.deep.equal([s.block, s.blockHash]);
    }
    expect(checkpointPaths(dir)).to.deep.equal([]);
  });
});

describe("a checkpoint that cannot be written (a full disk, a broken folder)", function () {
  this.timeout(180_000);
  let dir: string;
  let chain: Chain | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "ipr-embedded-nocheckpoint-"));
  });
  after(async () => {
    if (chain?.child.exitCode === null) await chain.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("costs no write: each is acknowledged and journaled, and the next start replays the whole journal", async () => {
    writeFileSync(join(dir, CHECKPOINT_DIR), "a file where the checkpoints' folder should be");
    const port = await freePort();
    chain = await Chain.start(dir, port);
    const sent = [];
    for (let nonce = 0; nonce < 2 * EVERY; nonce++) sent.push(await chain.send(nonce));
    expect(chain.log).to.match(/after a journaled write: .*(EEXIST|ENOTDIR)/);
    await chain.stop("SIGTERM");
    expect(chain.log).to.match(/no checkpoint at the stop: .*(EEXIST|ENOTDIR)/);
    rmSync(join(dir, CHECKPOINT_DIR));
    chain = await Chain.start(dir, port);
    expect(chain.ready.resumed).to.deep.include({ entries: 2 * EVERY, rejected: [] });
    expect(chain.ready.resumed!.checkpoint).to.equal(undefined);
    for (const s of sent) {
      const receipt = await chain.rpc("eth_getTransactionReceipt", [s.hash]);
      expect([Number(receipt.blockNumber), receipt.blockHash]).to.deep.equal([s.block, s.blockHash]);
    }
  });
});
