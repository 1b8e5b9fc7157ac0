/**
 * A chain that stops answering (SPEC: a bank's gateway must fail fast, never act behind its client's back). The
 * gateway talks to the in-process Hardhat network through a proxy that stalls on command, with the relayer's key as
 * `npm start` uses it (a wallet on a JSON-RPC URL):
 * - /health answers within a second and says the chain is stalled;
 * - a read and writes answer 503 CHAIN_UNAVAILABLE within RPC_TIMEOUT_MS + 2 s, and once the chain answers again
 *   (and processes whatever it was sent meanwhile) nothing of those writes was executed;
 * - a write whose receipt does not come is answered 202 PENDING with its hash, which later resolves to CONFIRMED;
 *   one whose broadcast was lost resolves to DROPPED;
 * - GET /v1/transactions/{hash} tells PENDING and FAILED (with the contract's refusal) on the chain itself.
 */
import { expect } from "chai";
import { HDNodeWallet, Mnemonic, Transaction } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers, network } from "hardhat";
import request from "supertest";
import { openCustomGateway } from "./helpers/customGateway";
import { deployGatewayFixture } from "./helpers/gatewayFixture";
import type { StallingProxy } from "./helpers/stallingProxy";
import { patentBody, valuationReport } from "./helpers/pledgeParties";
import { openWalletGateway, patentIdOf } from "./helpers/walletRelayer";

const RPC_TIMEOUT_MS = 1000;
const RECEIPT_TIMEOUT_MS = 1500;

const timed = async <T>(work: Promise<T>): Promise<[T, number]> => {
  const start = Date.now();
  const result = await work;
  return [result, Date.now() - start];
};

describe("gateway — a stalled chain", () => {
  let proxy: StallingProxy;
  let opened: { close(): Promise<void> } | undefined;

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  /** The gateway on the proxy, its relayer a wallet as `npm start` builds it. */
  async function openBehindProxy() {
    const f = await openWalletGateway({ rpcTimeoutMs: RPC_TIMEOUT_MS, receiptTimeoutMs: RECEIPT_TIMEOUT_MS });
    [opened, proxy] = [f, f.proxy];
    const patent = (officialNumber: string) => patentBody(f, officialNumber, [f.parties[0]]);
    const relayerNonce = () => ethers.provider.getTransactionCount(f.signers[0].address, "pending");
    return { ...f, patent, relayerNonce };
  }

  it("answers /health within 1 s with 503 CHAIN_UNAVAILABLE saying the chain is stalled", async () => {
    const f = await openBehindProxy();
    expect((await request(f.app).get("/v1/health")).status).to.equal(200);
    proxy.stall();
    const [res, ms] = await timed(
      request(f.app)
        .get("/v1/health")
        .then((r) => r),
    );
    expect(ms).to.be.below(1000);
    expect([res.status, res.body.error?.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
    expect(res.body.error.message).to.match(/stalled/);
  });

  it("answers a read and writes 503 within RPC_TIMEOUT_MS + 2 s, and never sends those writes later", async () => {
    const f = await openBehindProxy();
    const office = f.as("registration-office");
    // the relayer has sent before: its nonce is being tracked
    expect((await office.post("/assets", f.patent("ZL2026STALL.0"))).status).to.equal(201);
    const nonceBefore = await f.relayerNonce();
    const raw = proxy.sent("eth_sendRawTransaction");

    proxy.stall();
    const [answers, ms] = await timed(
      Promise.all([
        f.as("bank-a").get(`/assets/${patentIdOf("ZL2026STALL.0")}`),
        office.post("/assets", f.patent("ZL2026STALL.1")),
        office.post("/assets", f.patent("ZL2026STALL.2")), // waits behind the first write
        office.post("/assets", f.patent("ZL2026STALL.3")),
      ]).then((all) => all),
    );
    expect(ms).to.be.below(RPC_TIMEOUT_MS + 2000);
    expect(answers.map((r) => [r.status, r.body.error?.code])).to.deep.equal(Array(4).fill([503, "CHAIN_UNAVAILABLE"]));
    for (const write of answers.slice(1)) expect(write.body.error.message).to.match(/was not sent/);

    // The chain comes back and processes everything it was sent during the stall; the gateway had time to send
    // anything it still held.
    await new Promise((r) => setTimeout(r, RPC_TIMEOUT_MS + 1500));
    await proxy.resume({ deliverHeld: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(proxy.sent("eth_sendRawTransaction")).to.equal(raw);
    expect(await f.relayerNonce()).to.equal(nonceBefore);
    for (const n of [1, 2, 3]) expect(await f.recorded(`ZL2026STALL.${n}`), `STALL.${n}`).to.equal(false);

    // and the relayer works again: one more write, one more transaction
    const after = await office.post("/assets", f.patent("ZL2026STALL.4"));
    expect(after.status, JSON.stringify(after.body)).to.equal(201);
    expect([await f.relayerNonce(), await f.recorded("ZL2026STALL.4")]).to.deep.equal([nonceBefore + 1, true]);
  });

  it("answers a write whose receipt stalls 202 PENDING with its hash, which later resolves to CONFIRMED", async () => {
    const f = await openBehindProxy();
    proxy.stall(["eth_getTransactionReceipt"]);
    const [res, ms] = await timed(
      f
        .as("registration-office")
        .post("/assets", f.patent("ZL2026PEND.1"))
        .then((r) => r),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body).to.include({ status: "PENDING" });
    expect(res.body.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(ms).to.be.below(RECEIPT_TIMEOUT_MS + RPC_TIMEOUT_MS + 2000);

    // while the chain still does not give receipts, asking answers 503 rather than hanging
    const asked = await f.as("bank-a").get(`/transactions/${res.body.transactionHash}`);
    expect([asked.status, asked.body.error?.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);

    await proxy.resume({ deliverHeld: false });
    const receipt = await ethers.provider.getTransactionReceipt(res.body.transactionHash);
    const block = await ethers.provider.getBlock(receipt!.blockNumber);
    const status = await f.as("bank-a").get(`/transactions/${res.body.transactionHash}`);
    expect(status.status, JSON.stringify(status.body)).to.equal(200);
    expect(status.body).to.deep.equal({
      transactionHash: res.body.transactionHash,
      status: "CONFIRMED",
      blockNumber: receipt!.blockNumber,
      minedAt: new Date(block!.timestamp * 1000).toISOString(),
    });
    expect(await f.recorded("ZL2026PEND.1")).to.equal(true);
  });

  /** A gateway behind the proxy, and the evaluator's own anchoring of a report on a new patent, signed with its key. */
  async function partySigned(officialNumber: string) {
    const { demo } = await loadFixture(deployGatewayFixture);
    const evaluatorAccount = demo.find((d) => d.organisation.id === "evaluator")!.account;
    const evaluator = new ethers.Wallet(
      HDNodeWallet.fromMnemonic(
        Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
        `m/44'/60'/0'/0/${evaluatorAccount}`,
      ).privateKey,
      ethers.provider,
    );
    const f = await openBehindProxy();
    const recorded = await f.as("registration-office").post("/assets", f.patent(officialNumber));
    expect(recorded.status, JSON.stringify(recorded.body)).to.equal(201);
    // The evaluator anchors its report with its own wallet; the gateway only broadcasts the signed bytes.
    const report = valuationReport(f, evaluator.address, [recorded.body.assetId], `valuation of ${officialNumber}`);

    const unsigned = await f.contracts.valuationRegistry.connect(evaluator).anchor.populateTransaction(report);
    const raw = await evaluator.signTransaction(await evaluator.populateTransaction(unsigned));
    const hash = Transaction.from(raw).hash;

    return { f, raw, hash, report, evaluator };
  }

  it("answers a party-signed broadcast whose receipt stalls 202 PENDING with its hash, later CONFIRMED", async () => {
    const { f, raw, hash, report, evaluator } = await partySigned("ZL2026PARTY.1");
    proxy.stall(["eth_getTransactionReceipt"]);
    const [res, ms] = await timed(
      f
        .as("evaluator")
        .post("/transactions", { signedTransaction: raw })
        .then((r) => r),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body).to.include({ status: "PENDING", transactionHash: hash });
    expect(ms).to.be.below(RECEIPT_TIMEOUT_MS + RPC_TIMEOUT_MS + 2000);

    await proxy.resume({ deliverHeld: false });
    const status = await f.as("bank-a").get(`/transactions/${hash}`);
    expect(status.body).to.include({ transactionHash: hash, status: "CONFIRMED" });
    expect((await f.contracts.valuationRegistry.reportOf(report.documentHash)).record.evaluator).to.equal(
      evaluator.address,
    );
  });

  it("answers a party-signed broadcast that gets no answer 202 PENDING; lost on the way, it resolves to DROPPED", async () => {
    const { f, raw, hash } = await partySigned("ZL2026PARTY.2");
    proxy.stall(["eth_sendRawTransaction"]);
    const res = await f.as("evaluator").post("/transactions", { signedTransaction: raw });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body).to.include({ status: "PENDING", transactionHash: hash });
    await proxy.resume({ deliverHeld: false });
    const status = await f.as("bank-a").get(`/transactions/${hash}`);
    expect(status.body).to.deep.equal({ transactionHash: hash, status: "DROPPED" });
  });

  it("answers a write whose broadcast gets no answer 202 PENDING; lost on the way, it resolves to DROPPED", async () => {
    const f = await openBehindProxy();
    const nonceBefore = await f.relayerNonce();
    proxy.stall(["eth_sendRawTransaction"]);
    const res = await f.as("registration-office").post("/assets", f.patent("ZL2026LOST.1"));
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.status).to.equal("PENDING");

    await proxy.resume({ deliverHeld: false });
    const status = await f.as("bank-a").get(`/transactions/${res.body.transactionHash}`);
    expect(status.body).to.deep.equal({ transactionHash: res.body.transactionHash, status: "DROPPED" });
    expect([await f.relayerNonce(), await f.recorded("ZL2026LOST.1")]).to.deep.equal([nonceBefore, false]);

    // the next write takes the nonce the lost one would have used
    const next = await f.as("registration-office").post("/assets", f.patent("ZL2026LOST.2"));
    expect(next.status, JSON.stringify(next.body)).to.equal(201);
    expect((await ethers.provider.getTransaction(next.body.proof.transactionHash))!.nonce).to.equal(nonceBefore);
  });
});

describe("gateway — GET /v1/transactions/{hash}", () => {
  async function withoutAutomine<T>(work: () => Promise<T>): Promise<T> {
    await network.provider.send("evm_setAutomine", [false]);
    try {
      return await work();
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
  }

  it("says PENDING while the transaction waits for a block, then CONFIRMED", async () => {
    const f = await openCustomGateway();
    const stranger = f.parties[3];
    const hash = await withoutAutomine(async () => {
      const tx = await stranger.sendTransaction({ to: f.parties[4].address, value: 1n });
      const pending = await f.as("bank-a").get(`/transactions/${tx.hash}`);
      expect(pending.body).to.deep.equal({ transactionHash: tx.hash, status: "PENDING" });
      await network.provider.send("evm_mine", []);
      return tx.hash;
    });
    const confirmed = await f.as("bank-a").get(`/transactions/${hash}`);
    expect(confirmed.body).to.include({ status: "CONFIRMED", blockNumber: await ethers.provider.getBlockNumber() });
  });

  it("says FAILED with the contract's refusal for a mined transaction that reverted", async () => {
    const f = await openCustomGateway();
    const stranger = f.parties[3];
    const hash = await withoutAutomine(async () => {
      // not the registrar: the access manager refuses; gas is given so that nothing is simulated first
      const tx = await f.contracts.assetRegister
        .connect(stranger)
        .recordAsset(
          0,
          "ZL2026FAIL.1",
          [{ holder: stranger.address, shareBps: 10_000 }],
          0,
          0,
          0,
          `0x${"00".repeat(32)}`,
          {
            gasLimit: 1_000_000,
          },
        );
      await network.provider.send("evm_mine", []);
      return tx.hash;
    });
    const failed = await f.as("bank-a").get(`/transactions/${hash}`);
    expect(failed.status).to.equal(200);
    expect(failed.body).to.include({ status: "FAILED", blockNumber: await ethers.provider.getBlockNumber() });
    expect(failed.body.error.code).to.equal("ACCESS_MANAGED_UNAUTHORIZED");
    expect(failed.body.error.details.args).to.deep.equal({ caller: stranger.address });
  });

  it("answers 404 for a hash neither the chain nor the gateway knows, 400 for a malformed one", async () => {
    const f = await openCustomGateway();
    const unknown = await f.as("bank-a").get(`/transactions/0x${"ab".repeat(32)}`);
    expect([unknown.status, unknown.body.error?.code]).to.deep.equal([404, "NOT_FOUND"]);
    const malformed = await f.as("bank-a").get("/transactions/0x1234");
    expect([malformed.status, malformed.body.error?.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
  });
});
