/**
 * The embedded chain's write-ahead journal (scripts/lib/chainJournal.ts, scripts/lib/journaledChain.ts), in process:
 * a chain that journals its writes is rebuilt from the journal into a fresh chain, block for block (same hashes);
 * a torn last line is dropped, damage elsewhere stops the start; the clock is back on the wall clock after a replay.
 */
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, Interface, Mnemonic } from "ethers";
import type { EthereumProvider } from "hardhat/types";
import {
  ChainJournal,
  JOURNAL_KIND,
  JOURNAL_VERSION,
  JournalDamagedError,
  type JournalEntry,
  type JournalHeader,
} from "../../scripts/lib/chainJournal";
import {
  JournaledProvider,
  ReplayDivergedError,
  clockOffset,
  createChain,
  followWallClock,
  replayJournal,
} from "../../scripts/lib/journaledChain";
import { TestStablecoin__factory } from "../../typechain-types";
import { chainErrorToAppError } from "../../api/src/errors/contractErrors";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wallSeconds = () => Math.floor(Date.now() / 1000);
const thisSecond = () => new Date(wallSeconds() * 1000).toISOString();

const entry = (block: number): JournalEntry => ({
  method: "evm_mine",
  params: [],
  result: "0",
  block,
  timestamp: 1_800_000_000 + block,
  blockHash: `0x${block.toString(16).padStart(64, "0")}`,
  offset: 0,
});

const header = (): JournalHeader => ({
  kind: JOURNAL_KIND,
  version: JOURNAL_VERSION,
  chainId: 31337,
  initialDate: "2026-01-01T00:00:00.000Z",
  genesisHash: `0x${"00".repeat(32)}`,
  createdAt: "2026-01-01T00:00:00.000Z",
});

interface Block {
  number: string;
  hash: string;
  timestamp: string;
  transactions: string[];
}
const block = (chain: EthereumProvider, n: number | "latest") =>
  chain.request({
    method: "eth_getBlockByNumber",
    params: [n === "latest" ? n : `0x${n.toString(16)}`, false],
  }) as Promise<Block>;

describe("The embedded chain's journal", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ipr-journal-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe("the file", () => {
    it("reads back its header and every appended entry, in order", () => {
      const path = join(dir, "chain.journal");
      const journal = ChainJournal.create(path, header());
      [1, 2, 3].forEach((n) => journal.append(entry(n)));
      journal.close();
      const reopened = ChainJournal.open(path);
      expect(reopened.header).to.deep.equal(header());
      expect(reopened.entries).to.deep.equal([entry(1), entry(2), entry(3)]);
      expect(reopened.droppedBytes).to.equal(0);
      reopened.close();
    });

    it("drops a torn last line (a crash mid-append), truncates it away, and appends after the last whole entry", () => {
      const path = join(dir, "chain.journal");
      const journal = ChainJournal.create(path, header());
      [1, 2].forEach((n) => journal.append(entry(n)));
      journal.close();
      const whole = readFileSync(path, "utf8");
      const torn = JSON.stringify(entry(3)).slice(0, 40);
      appendFileSync(path, torn);

      const reopened = ChainJournal.open(path);
      expect(reopened.entries).to.deep.equal([entry(1), entry(2)]);
      expect(reopened.droppedBytes).to.equal(Buffer.byteLength(torn));
      expect(readFileSync(path, "utf8")).to.equal(whole);
      reopened.append(entry(3));
      reopened.close();
      expect(ChainJournal.open(path).entries).to.deep.equal([entry(1), entry(2), entry(3)]);
    });

    it("drops a last line that ends but is not JSON", () => {
      const path = join(dir, "chain.journal");
      const journal = ChainJournal.create(path, header());
      journal.append(entry(1));
      journal.close();
      appendFileSync(path, '{"method":"evm_mi\n');
      const reopened = ChainJournal.open(path);
      expect(reopened.entries).to.deep.equal([entry(1)]);
      expect(reopened.droppedBytes).to.equal('{"method":"evm_mi\n'.length);
    });

    it("refuses damage before the last line: it is not what a crash leaves", () => {
      const path = join(dir, "chain.journal");
      const lines = [JSON.stringify(header()), JSON.stringify(entry(1)), "garbage", JSON.stringify(entry(2)), ""];
      writeFileSync(path, lines.join("\n"));
      expect(() => ChainJournal.open(path)).to.throw(JournalDamagedError, "line 3");
    });

    it("refuses a file that is not a journal", () => {
      const path = join(dir, "chain.journal");
      writeFileSync(path, '{"something":"else"}\n');
      expect(() => ChainJournal.open(path)).to.throw(JournalDamagedError, "no journal header");
    });
  });

  describe("a journaled chain, replayed", function () {
    this.timeout(60_000);

    const accounts = hre.config.networks.hardhat.accounts as { mnemonic: string };
    const wallet = (i: number) =>
      HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(accounts.mnemonic), `m/44'/60'/0'/0/${i}`);

    /** A chain journaling into `dir`, and some history on it: what the gateway and the bootstrap send. */
    async function journaledHistory() {
      const initialDate = thisSecond();
      const chain = await createChain(hre.config, initialDate);
      const genesis = await block(chain, 0);
      const journal = ChainJournal.create(join(dir, "chain.journal"), {
        ...header(),
        initialDate,
        genesisHash: genesis.hash,
      });
      await followWallClock(chain, 0);
      const provider = new JournaledProvider(chain, journal);
      const send = (method: string, params: unknown[]) => provider.request({ method, params });
      const [admin] = (await send("eth_accounts", [])) as string[];

      // The bootstrap's way: an unlocked account deploys.
      const deployHash = (await send("eth_sendTransaction", [
        { from: admin, data: TestStablecoin__factory.bytecode },
      ])) as string;
      const coin = ((await send("eth_getTransactionReceipt", [deployHash])) as { contractAddress: string })
        .contractAddress;
      const erc20 = new Interface(TestStablecoin__factory.abi);
      await sleep(1100); // the next blocks carry a later second, which the replay must reproduce
      // The relayer's way: a transaction signed here, sent raw.
      const relayer = wallet(1);
      const nonce = Number(await send("eth_getTransactionCount", [relayer.address, "latest"]));
      const raw = await relayer.signTransaction({
        to: coin,
        data: erc20.encodeFunctionData("mint", [relayer.address, 500n]),
        nonce,
        gasLimit: 200_000,
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 1n,
        chainId: 31337,
        type: 2,
      });
      const mintHash = (await send("eth_sendRawTransaction", [raw])) as string;
      // Mined but reverted (more than the balance): the call fails, the block stays.
      const failed = await send("eth_sendTransaction", [
        {
          from: admin,
          to: coin,
          gas: "0x30000",
          data: erc20.encodeFunctionData("transfer", [relayer.address, 1n]),
        },
      ]).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failed, "the reverted transfer").to.be.instanceOf(Error);
      await send("hardhat_setBalance", [wallet(7).address, "0x1234"]);
      await send("evm_mine", []);
      // A transaction refused before it is mined (its nonce is used) changes nothing and is not journaled.
      const reused = await send("eth_sendRawTransaction", [raw]).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(reused, "the replayed raw transaction").to.be.instanceOf(Error);
      journal.close();
      return { chain, initialDate, genesis, coin, deployHash, mintHash };
    }

    it("journals each write with the block it made and its time; skips a call that mined nothing", async () => {
      const { chain } = await journaledHistory();
      const { entries } = ChainJournal.open(join(dir, "chain.journal"));
      expect(entries.map((e) => [e.method, e.block])).to.deep.equal([
        ["eth_sendTransaction", 1],
        ["eth_sendRawTransaction", 2],
        ["eth_sendTransaction", 3],
        ["hardhat_setBalance", 3],
        ["evm_mine", 4],
      ]);
      expect(entries[2].error?.message).to.match(/revert|ERC20InsufficientBalance/i);
      for (const e of entries) {
        const b = await block(chain, e.block);
        expect([e.blockHash, e.timestamp], e.method).to.deep.equal([b.hash, Number(b.timestamp)]);
      }
      expect(entries[1].timestamp, "after the pause").to.be.greaterThan(entries[0].timestamp);
    });

    it("replays into a fresh chain: every block hash, transaction hash, log and balance identical", async () => {
      const { chain, initialDate, genesis, coin, mintHash } = await journaledHistory();
      const { entries, header: kept } = ChainJournal.open(join(dir, "chain.journal"));
      expect(kept.genesisHash).to.equal(genesis.hash);

      const fresh = await createChain(hre.config, initialDate);
      const report = await replayJournal(fresh, kept.genesisHash, entries);
      expect([report.entries, report.blocks]).to.deep.equal([5, 4]);
      for (let n = 0; n <= 4; n++) {
        expect(await block(fresh, n), `block ${n}`).to.deep.equal(await block(chain, n));
      }
      const receipt = (c: EthereumProvider) => c.request({ method: "eth_getTransactionReceipt", params: [mintHash] });
      expect(await receipt(fresh)).to.deep.equal(await receipt(chain));
      const balance = (c: EthereumProvider, a: string) =>
        c.request({ method: "eth_getBalance", params: [a, "latest"] });
      expect(await balance(fresh, wallet(7).address)).to.equal("0x1234");
      expect(await fresh.request({ method: "eth_getCode", params: [coin, "latest"] })).to.equal(
        await chain.request({ method: "eth_getCode", params: [coin, "latest"] }),
      );
    });

    it("puts the clock back on the wall clock after a replay: the next block carries the real time", async () => {
      const { initialDate, genesis } = await journaledHistory();
      const { entries } = ChainJournal.open(join(dir, "chain.journal"));
      await sleep(2100); // the restart comes later than the last write
      const fresh = await createChain(hre.config, initialDate);
      await replayJournal(fresh, genesis.hash, entries);
      expect(await clockOffset(fresh), "after the replay the clock stands at the last block's time").to.be.lessThan(-1);
      await followWallClock(fresh, 0);
      await fresh.request({ method: "evm_mine", params: [] });
      const next = Number((await block(fresh, "latest")).timestamp);
      expect(Math.abs(next - wallSeconds())).to.be.at.most(1);
    });

    it("stops at a journal that another chain would not reproduce, naming the entry", async () => {
      const { initialDate, genesis } = await journaledHistory();
      const { entries } = ChainJournal.open(join(dir, "chain.journal"));
      const tampered = entries.map((e, i) => (i === 1 ? { ...e, result: `0x${"ab".repeat(32)}` } : e));
      const fresh = await createChain(hre.config, initialDate);
      await replayJournal(fresh, genesis.hash, tampered).then(
        () => expect.fail("replayed a tampered journal"),
        (error: Error) => {
          expect(error).to.be.instanceOf(ReplayDivergedError);
          expect(error.message).to.include("entry 2 (eth_sendRawTransaction, block 2)");
        },
      );
      const otherGenesis = await createChain(hre.config, "2020-01-01T00:00:00.000Z");
      await replayJournal(otherGenesis, genesis.hash, entries).then(
        () => expect.fail("replayed onto another genesis"),
        (error: Error) => expect(error.message).to.include("genesis"),
      );
    });

    it("on a journal that cannot be written (disk full): fails the write, then answers nothing more (503 at the gateway)", async () => {
      const chain = await createChain(hre.config, thisSecond());
      const full = {
        append: () => {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
      } as unknown as ChainJournal;
      const provider = new JournaledProvider(chain, full);
      const [admin] = (await provider.request({ method: "eth_accounts", params: [] })) as string[];
      const failed = await provider
        .request({ method: "eth_sendTransaction", params: [{ from: admin, to: admin, value: "0x1" }] })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(failed?.message).to.include("the chain journal cannot be written (ENOSPC");
      await provider.request({ method: "eth_blockNumber", params: [] }).then(
        () => expect.fail("a read was answered from a chain ahead of its journal"),
        (error: Error) => expect(error.message).to.include("the chain journal cannot be written"),
      );
      expect(chainErrorToAppError(failed)?.code).to.equal("CHAIN_UNAVAILABLE");
    });

    it("on a journal whose fsync fails: the write is not acknowledged, and the journal does not keep it", async () => {
      const chain = await createChain(hre.config, thisSecond());
      const path = join(dir, "chain.journal");
      const journal = ChainJournal.create(path, header());
      const provider = new JournaledProvider(chain, journal);
      const [admin] = (await provider.request({ method: "eth_accounts", params: [] })) as string[];
      await provider.request({ method: "eth_sendTransaction", params: [{ from: admin, to: admin, value: "0x1" }] });
      // From now on the disk fails every fsync (EIO), as a dying disk does.
      const realFsync = fs.fsyncSync;
      (fs as { fsyncSync: unknown }).fsyncSync = () => {
        throw Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
      };
      let failed: Error | undefined;
      try {
        failed = await provider
          .request({ method: "eth_sendTransaction", params: [{ from: admin, to: admin, value: "0x2" }] })
          .then(
            () => undefined,
            (error: Error) => error,
          );
      } finally {
        (fs as { fsyncSync: unknown }).fsyncSync = realFsync;
      }
      expect(failed?.message, "the write was answered").to.include("the chain journal cannot be written (EIO");
      expect(chainErrorToAppError(failed)?.code).to.equal("CHAIN_UNAVAILABLE");
      journal.close();
      // A restart replays the acknowledged write only.
      const reopened = ChainJournal.open(path);
      reopened.close();
      expect(reopened.entries.map((e) => (e.params[0] as { value: string }).value)).to.deep.equal(["0x1"]);
      expect(reopened.droppedBytes).to.equal(0);
    });

    it("refuses snapshots, reverts and resets, which would take back journaled writes", async () => {
      const chain = await createChain(hre.config, thisSecond());
      const journal = ChainJournal.create(join(dir, "chain.journal"), header());
      const provider = new JournaledProvider(chain, journal);
      for (const method of ["evm_snapshot", "evm_revert", "hardhat_reset", "hardhat_mine", "evm_setAutomine"]) {
        await provider.request({ method, params: [] }).then(
          () => expect.fail(`${method} was accepted`),
          (error: Error) => expect(error.message).to.include(`${method} is not available on this chain`),
        );
      }
      journal.close();
      expect(ChainJournal.open(join(dir, "chain.journal")).entries).to.deep.equal([]);
    });
  });
});
