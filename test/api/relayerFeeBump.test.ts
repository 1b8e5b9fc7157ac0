/**
 * A stuck transaction gets a fee bump (issue 9): a relayed transaction that waits in the chain's pool without a
 * receipt for RELAYER_REPLACE_AFTER_MS is sent again with the same nonce and payload and fees at least 12.5 % higher;
 * the bump is mined, the write is answered with it, GET /v1/transactions/{hash} resolves either hash to it, and the
 * write is recorded once. On the in-process chain with automine off, its fees go stale when the next block's base fee
 * is raised above them (hardhat_setNextBlockBaseFeePerGas), as on a busy chain.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { openWalletGateway } from "./helpers/walletRelayer";
import { patentBody } from "./helpers/pledgeParties";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REPLACE_AFTER_MS = 400;

interface Pooled {
  hash: string;
  from: string;
  nonce: string;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  input: string;
}

describe("relayer — a stuck transaction gets a fee bump", () => {
  let opened: { close(): Promise<void> } | undefined;
  let baseFee: bigint;

  beforeEach(async () => {
    baseFee = (await ethers.provider.getBlock("latest"))!.baseFeePerGas!;
  });

  afterEach(async () => {
    // The chain as the other suites expect it: automining, at the base fee it had (a raised one decays only slowly).
    await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [`0x${baseFee.toString(16)}`]);
    await network.provider.send("evm_mine", []);
    await network.provider.send("evm_setAutomine", [true]);
    await opened?.close();
    opened = undefined;
  });

  it("sends the same nonce and payload again with ≥ 12.5 % higher fees; the bump is mined, and only once", async () => {
    const f = await openWalletGateway({
      rpcTimeoutMs: 2000,
      receiptTimeoutMs: 15_000,
      replaceAfterMs: REPLACE_AFTER_MS,
      maxReplacements: 3,
    });
    opened = f;
    const relayer = f.signers[0].address.toLowerCase();
    const pooled = async () =>
      ((await network.provider.send("eth_pendingTransactions", [])) as Pooled[]).filter(
        (tx) => tx.from.toLowerCase() === relayer,
      );
    expect(
      (await f.as("registration-office").post("/assets", patentBody(f, "ZL2026BUMP.0", [f.parties[0]]))).status,
    ).to.equal(201); // the relayer knows its nonce and the fees now
    const firstNonce = await ethers.provider.getTransactionCount(relayer, "latest");

    await network.provider.send("evm_setAutomine", [false]);
    const write = f.as("registration-office").post("/assets", patentBody(f, "ZL2026BUMP.1", [f.parties[0]]));
    const answer = write.then((res) => res);
    while ((await pooled()).length === 0) await sleep(20);
    const [first] = await pooled();
    // The chain gets busy: the next block's base fee is above what the transaction offers, so it is not mined.
    const stale = BigInt(first.maxFeePerGas);
    await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [`0x${(stale * 3n).toString(16)}`]);
    await network.provider.send("evm_mine", []);
    expect(
      (await pooled()).map((tx) => tx.hash),
      "still waiting",
    ).to.deep.equal([first.hash]);

    // The relayer bumps it: the pool now holds the replacement, same nonce and input, higher fees.
    let bump: Pooled | undefined;
    for (const until = Date.now() + 10 * REPLACE_AFTER_MS + 5000; !bump && Date.now() < until; await sleep(50)) {
      bump = (await pooled()).find((tx) => tx.hash !== first.hash);
    }
    if (!bump) expect.fail("no fee bump came");
    expect(await pooled(), "the bump replaced the first in the pool").to.have.length(1);
    expect(bump.nonce).to.equal(first.nonce);
    expect(bump.input).to.equal(first.input);
    const atLeast = (before: string) => (BigInt(before) * 1125n) / 1000n;
    expect(BigInt(bump.maxFeePerGas) >= atLeast(first.maxFeePerGas), "maxFeePerGas +12.5 %").to.equal(true);
    expect(BigInt(bump.maxPriorityFeePerGas) >= atLeast(first.maxPriorityFeePerGas), "priority +12.5 %").to.equal(true);
    const block = await ethers.provider.getBlock("latest");
    expect(BigInt(bump.maxFeePerGas) >= block!.baseFeePerGas!, "the bump pays the chain's base fee now").to.equal(true);

    await network.provider.send("evm_mine", []);
    const res = await answer;
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.proof.transactionHash).to.equal(bump.hash);

    // Either hash tells the mined one.
    for (const asked of [first.hash, bump.hash]) {
      const status = await f.as("bank-a").get(`/transactions/${asked}`);
      expect(status.body, asked).to.deep.include({ transactionHash: bump.hash, status: "CONFIRMED" });
    }
    // Recorded once; one transaction per nonce, without a gap.
    expect(await f.recorded("ZL2026BUMP.1")).to.equal(true);
    await network.provider.send("evm_setAutomine", [true]);
    const next = await f.as("registration-office").post("/assets", patentBody(f, "ZL2026BUMP.2", [f.parties[0]]));
    expect(next.status, JSON.stringify(next.body)).to.equal(201);
    expect(await ethers.provider.getTransactionCount(relayer, "latest")).to.equal(firstNonce + 2);
    expect(await pooled()).to.deep.equal([]);
  });

  it("bumps at most RELAYER_MAX_REPLACEMENTS times; then the write is answered 202 PENDING, GET says the latest", async () => {
    const f = await openWalletGateway({
      rpcTimeoutMs: 2000,
      receiptTimeoutMs: 4000,
      replaceAfterMs: 300,
      maxReplacements: 1,
    });
    opened = f;
    const relayer = f.signers[0].address.toLowerCase();
    const pooled = async () =>
      ((await network.provider.send("eth_pendingTransactions", [])) as Pooled[]).filter(
        (tx) => tx.from.toLowerCase() === relayer,
      );
    expect(
      (await f.as("registration-office").post("/assets", patentBody(f, "ZL2026CAP.0", [f.parties[0]]))).status,
    ).to.equal(201);
    await network.provider.send("evm_setAutomine", [false]);
    const answer = f
      .as("registration-office")
      .post("/assets", patentBody(f, "ZL2026CAP.1", [f.parties[0]]))
      .then((res) => res);
    while ((await pooled()).length === 0) await sleep(20);
    const [first] = await pooled();
    // Every block's base fee far above anything offered: no version is ever mined.
    const far = `0x${(BigInt(first.maxFeePerGas) * 1000n).toString(16)}`;
    await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [far]);
    await network.provider.send("evm_mine", []);
    const res = await answer;
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.transactionHash, "the 202 names the write's first hash").to.equal(first.hash);
    const [latest] = await pooled();
    expect(latest.hash, "bumped once").to.not.equal(first.hash);
    const status = await f.as("bank-a").get(`/transactions/${first.hash}`);
    expect(status.body).to.deep.equal({ transactionHash: latest.hash, status: "PENDING" });
    await sleep(1000); // three more replace-after periods: no second bump
    expect((await pooled()).map((tx) => tx.hash)).to.deep.equal([latest.hash]);
    await network.provider.send("hardhat_dropTransaction", [latest.hash]);
  });

  it("never bumps with RELAYER_REPLACE_AFTER_MS=0: the stuck write is answered 202 PENDING with its only hash", async () => {
    const f = await openWalletGateway({ rpcTimeoutMs: 2000, receiptTimeoutMs: 2500, replaceAfterMs: 0 });
    opened = f;
    const relayer = f.signers[0].address.toLowerCase();
    const pooled = async () =>
      ((await network.provider.send("eth_pendingTransactions", [])) as Pooled[]).filter(
        (tx) => tx.from.toLowerCase() === relayer,
      );
    expect(
      (await f.as("registration-office").post("/assets", patentBody(f, "ZL2026NOBUMP.0", [f.parties[0]]))).status,
    ).to.equal(201);
    await network.provider.send("evm_setAutomine", [false]);
    const answer = f
      .as("registration-office")
      .post("/assets", patentBody(f, "ZL2026NOBUMP.1", [f.parties[0]]))
      .then((res) => res);
    while ((await pooled()).length === 0) await sleep(20);
    const [first] = await pooled();
    await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [
      `0x${(BigInt(first.maxFeePerGas) * 3n).toString(16)}`,
    ]);
    await network.provider.send("evm_mine", []);
    const res = await answer;
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.transactionHash).to.equal(first.hash);
    expect((await pooled()).map((tx) => tx.hash)).to.deep.equal([first.hash]);
    // Clear the pool for the next test: it is mined once the base fee falls back.
    await network.provider.send("hardhat_dropTransaction", [first.hash]);
  });
});
