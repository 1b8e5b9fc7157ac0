/**
 * A stuck transaction gets a fee bump (issue 9): a relayed transaction that waits in the chain's pool without a
 * receipt for RELAYER_REPLACE_AFTER_MS is sent again with the same nonce and payload and fees at least 12.5 % higher;
 * the bump is mined, the write is answered with it, GET /v1/transactions/{hash} resolves either hash to it, and the
 * write is recorded once. On the in-process chain with automine off, its fees go stale when the next block's base fee
 * is raised above them (hardhat_setNextBlockBaseFeePerGas), as on a busy chain.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import type { RelayerTimeouts } from "../../api/src/chain/relayer";
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

/**
 * A write whose transaction gets stuck: the gateway (with `timeouts`) records a first patent while automining, then
 * automine is turned off, a second write is sent, and once its transaction is in the pool the next block's base fee
 * is set to `factor` times what it offers and that (empty) block is mined. Returns the stuck transaction and the
 * write's answer to come.
 */
async function stuckWrite(timeouts: RelayerTimeouts, tag: string, factor: bigint) {
  const f = await openWalletGateway(timeouts);
  const relayer = f.signers[0].address.toLowerCase();
  const pooled = async () =>
    ((await network.provider.send("eth_pendingTransactions", [])) as Pooled[]).filter(
      (tx) => tx.from.toLowerCase() === relayer,
    );
  const record = (officialNumber: string) =>
    f.as("registration-office").post("/assets", patentBody(f, officialNumber, [f.parties[0]]));
  // The relayer knows its nonce and the fees now.
  expect((await record(`${tag}.0`)).status).to.equal(201);
  const firstNonce = await ethers.provider.getTransactionCount(relayer, "latest");
  await network.provider.send("evm_setAutomine", [false]);
  const answer = record(`${tag}.1`).then((res) => res);
  while ((await pooled()).length === 0) await sleep(20);
  const [first] = await pooled();
  const baseFee = BigInt(first.maxFeePerGas) * factor;
  await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [`0x${baseFee.toString(16)}`]);
  await network.provider.send("evm_mine", []);
  return { f, relayer, pooled, record, firstNonce, first, answer };
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
    const timeouts = { rpcTimeoutMs: 2000, receiptTimeoutMs: 15_000, replaceAfterMs: REPLACE_AFTER_MS };
    // The chain got busy: the next block's base fee is above what the transaction offers, so it was not mined.
    const { f, relayer, pooled, record, firstNonce, first, answer } = await stuckWrite(timeouts, "ZL2026BUMP", 3n);
    opened = f;
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
    const next = await record("ZL2026BUMP.2");
    expect(next.status, JSON.stringify(next.body)).to.equal(201);
    expect(await ethers.provider.getTransactionCount(relayer, "latest")).to.equal(firstNonce + 2);
    expect(await pooled()).to.deep.equal([]);
  });

  it("bumps at most RELAYER_MAX_REPLACEMENTS times; then the write is answered 202 PENDING, GET says the latest", async () => {
    const timeouts = { rpcTimeoutMs: 2000, receiptTimeoutMs: 4000, replaceAfterMs: 300, maxReplacements: 1 };
    // Every block's base fee far above anything offered, and no block mined after: no version is ever mined.
    const { f, pooled, first, answer } = await stuckWrite(timeouts, "ZL2026CAP", 1000n);
    opened = f;
    const res = await answer;
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.transactionHash, "the 202 names the write's first hash").to.equal(first.hash);
    const [latest] = await pooled();
    expect(latest.hash, "bumped once").to.not.equal(first.hash);
    const status = await f.as("bank-a").get(`/transactions/${first.hash}`);
    expect(status.body).to.deep.equal({ transactionHash: latest.hash, status: "PENDING" });
    expect((await pooled()).map((tx) => tx.hash)).to.deep.equal([latest.hash]);
    await network.provider.send("hardhat_dropTransaction", [latest.hash]);
  });

  it("never bumps with RELAYER_REPLACE_AFTER_MS=0: the stuck write is answered 202 PENDING with its only hash", async () => {
    const timeouts = { rpcTimeoutMs: 2000, receiptTimeoutMs: 2500, replaceAfterMs: 0 };
    const { f, pooled, first, answer } = await stuckWrite(timeouts, "ZL2026NOBUMP", 3n);
    opened = f;
    const res = await answer;
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.transactionHash).to.equal(first.hash);
    expect((await pooled()).map((tx) => tx.hash)).to.deep.equal([first.hash]);
    // Clear the pool for the next test.
    await network.provider.send("hardhat_dropTransaction", [first.hash]);
  });
});
