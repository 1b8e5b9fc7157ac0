/**
 * The relayer survives a chain that loses transactions (issue 9): a transaction dropped from the node's pool, or a
 * chain rolled back under it. Afterwards it takes its nonce from the chain again and goes on — no later write waits
 * behind the lost one — and the lost write is reported (GET /v1/transactions/{hash} says DROPPED), never sent again.
 * The gateway's relayer is a wallet on a JSON-RPC URL, as `npm start` builds it, in front of the in-process chain.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { mineEvery } from "./helpers/standaloneChain";
import { openWalletGateway } from "./helpers/walletRelayer";
import { patentBody } from "./helpers/pledgeParties";

const RPC_TIMEOUT_MS = 1000;
const RECEIPT_TIMEOUT_MS = 4000;
/** Every write must be answered within this (its turn, its broadcast, its receipt), whatever went before it. */
const ANSWER_WITHIN_MS = RPC_TIMEOUT_MS + RECEIPT_TIMEOUT_MS + 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A block every `ms` on the in-process chain, with automine off. */
const intervalMining = (ms: number) => mineEvery((method, params) => network.provider.send(method, params ?? []), ms);

describe("relayer — faults of the chain", () => {
  let opened: { close(): Promise<void> } | undefined;

  afterEach(async () => {
    await network.provider.send("evm_setAutomine", [true]);
    await opened?.close();
    opened = undefined;
  });

  async function open() {
    const f = await openWalletGateway({ rpcTimeoutMs: RPC_TIMEOUT_MS, receiptTimeoutMs: RECEIPT_TIMEOUT_MS });
    opened = f;
    const relayerAddress = f.signers[0].address;
    const write = async (officialNumber: string) => {
      const start = Date.now();
      const res = await f.as("registration-office").post("/assets", patentBody(f, officialNumber, [f.parties[0]]));
      return { res, ms: Date.now() - start };
    };
    const count = (tag: "latest" | "pending") => ethers.provider.getTransactionCount(relayerAddress, tag);
    /** The relayer's transactions waiting in the node's pool (eth_pendingTransactions), by nonce. */
    const pooled = async () =>
      ((await network.provider.send("eth_pendingTransactions", [])) as { hash: string; from: string; nonce: string }[])
        .filter((tx) => tx.from.toLowerCase() === relayerAddress.toLowerCase())
        .sort((a, b) => Number(a.nonce) - Number(b.nonce));
    return { ...f, relayerAddress, write, count, pooled };
  }

  /** Every transaction the relayer got mined since `from`: their nonces are from..to-1, each once. */
  async function expectContiguousNonces(relayerAddress: string, fromBlock: number, firstNonce: number) {
    const nonces: number[] = [];
    const head = await ethers.provider.getBlockNumber();
    for (let n = fromBlock; n <= head; n++) {
      const block = await ethers.provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) if (tx.from === relayerAddress) nonces.push(tx.nonce);
    }
    expect(nonces).to.deep.equal(nonces.map((_, i) => firstNonce + i));
    return nonces.length;
  }

  it("a transaction dropped from the pool: the writes behind it go through, the dropped one says DROPPED", async () => {
    const f = await open();
    const firstNonce = await f.count("latest");
    const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
    await network.provider.send("evm_setAutomine", [false]);
    // Two writes broadcast, waiting for a block: the first is dropped from the pool, the second waits behind it.
    const dropped = f.write("ZL2026DROP.1");
    while ((await f.pooled()).length < 1) await sleep(20);
    const behind = f.write("ZL2026DROP.2");
    while ((await f.pooled()).length < 2) await sleep(20);
    const [lost] = await f.pooled();
    expect(await network.provider.send("hardhat_dropTransaction", [lost.hash])).to.equal(true);

    const mining = intervalMining(200);
    try {
      const [first, second] = await Promise.all([dropped, behind]);
      expect(first.res.status, JSON.stringify(first.res.body)).to.equal(202);
      expect(first.res.body).to.include({ status: "PENDING", transactionHash: lost.hash });
      expect(second.res.status, JSON.stringify(second.res.body)).to.equal(201);
      for (const answer of [first, second]) expect(answer.ms).to.be.below(ANSWER_WITHIN_MS);

      // More writes, some at once: each is answered in time.
      const more = await Promise.all(["ZL2026DROP.3", "ZL2026DROP.4", "ZL2026DROP.5"].map((n) => f.write(n)));
      for (const { res, ms } of more) {
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(ms).to.be.below(ANSWER_WITHIN_MS);
      }
      const last = await f.write("ZL2026DROP.6");
      expect([last.res.status, last.ms < ANSWER_WITHIN_MS]).to.deep.equal([201, true]);
    } finally {
      await mining.stop();
    }

    const status = await f.as("bank-a").get(`/transactions/${lost.hash}`);
    expect(status.body).to.deep.equal({ transactionHash: lost.hash, status: "DROPPED" });
    expect(await f.recorded("ZL2026DROP.1"), "the dropped write was sent again").to.equal(false);
    for (const n of [2, 3, 4, 5, 6]) expect(await f.recorded(`ZL2026DROP.${n}`), `DROP.${n}`).to.equal(true);
    // Nothing waits in the pool, and the relayer's mined transactions have one nonce each, without a gap.
    expect(await f.pooled()).to.deep.equal([]);
    const mined = await expectContiguousNonces(f.relayerAddress, fromBlock, firstNonce);
    expect(await f.count("latest")).to.equal(firstNonce + mined);
  });

  for (const mode of ["automine", "interval mining"] as const) {
    it(`a chain rolled back under the relayer (${mode}): later writes go through, the lost one says DROPPED`, async () => {
      const f = await open();
      expect((await f.write("ZL2026BACK.0")).res.status).to.equal(201); // the relayer tracks its nonce now
      const snapshot = await network.provider.send("evm_snapshot", []);
      const firstNonce = await f.count("latest");
      const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
      const rolledBack = await f.write("ZL2026BACK.1");
      expect(rolledBack.res.status).to.equal(201);
      await network.provider.send("evm_revert", [snapshot]);
      expect(await f.recorded("ZL2026BACK.1")).to.equal(false);

      const mining = mode === "interval mining" ? intervalMining(200) : undefined;
      try {
        const answers = [await f.write("ZL2026BACK.2")];
        answers.push(...(await Promise.all(["ZL2026BACK.3", "ZL2026BACK.4"].map((n) => f.write(n)))));
        for (const { res, ms } of answers) {
          expect(res.status, JSON.stringify(res.body)).to.equal(201);
          expect(ms).to.be.below(ANSWER_WITHIN_MS);
        }
      } finally {
        await mining?.stop();
      }
      const lostHash = rolledBack.res.body.proof.transactionHash;
      const status = await f.as("bank-a").get(`/transactions/${lostHash}`);
      expect(status.body).to.deep.equal({ transactionHash: lostHash, status: "DROPPED" });
      expect(await f.recorded("ZL2026BACK.1"), "the rolled-back write was sent again").to.equal(false);
      for (const n of [2, 3, 4]) expect(await f.recorded(`ZL2026BACK.${n}`), `BACK.${n}`).to.equal(true);
      expect(await f.pooled()).to.deep.equal([]);
      await expectContiguousNonces(f.relayerAddress, fromBlock, firstNonce);
    });
  }
});
