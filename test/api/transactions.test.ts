/**
 * POST /v1/transactions — a party-signed transaction broadcast by the gateway: its receipt's events are in the API's
 * form (README "Conventions": enum values by name, dates YYYY-MM-DD), and a transaction that was mined but failed is
 * reported with where it was mined (its nonce is spent).
 */
import { expect } from "chai";
import type { Wallet } from "ethers";
import { ethers, network } from "hardhat";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { recordPatent, valuationReport } from "./helpers/pledgeParties";
import { walletOf } from "./helpers/poolParties";

const dayOf = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);

/** The evaluator's own anchoring of a report on the patent, signed with its wallet (method 1: Market, the second of contracts/types/Valuation.sol). */
async function signedAnchoring(f: GatewayFixture, wallet: Wallet, overrides: { gasLimit?: bigint } = {}) {
  const assetId = await recordPatent(f, "ZL202110099999.9", [f.parties[0]]);
  const report = valuationReport(f, wallet.address, [assetId], "valuation report 2026-117", 1);

  const unsigned = await f.contracts.valuationRegistry.connect(wallet).anchor.populateTransaction(report);
  const populated = await wallet.populateTransaction({ ...unsigned, ...overrides });
  return { report, raw: await wallet.signTransaction(populated) };
}

describe("gateway — POST /v1/transactions", () => {
  it("answers the receipt's events with enum values by name and dates as YYYY-MM-DD", async () => {
    const f = await openGateway();
    const evaluator = await walletOf(f.signerOf.evaluator);
    const { report, raw } = await signedAnchoring(f, evaluator);
    const sent = await f.as("evaluator").post("/transactions", { signedTransaction: raw });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const anchored = sent.body.events.find((e: { event: string }) => e.event === "ReportAnchored");
    expect(anchored.args.report).to.include({
      method: "Market",
      value: "250000000",
      valuationDate: dayOf(report.valuationDate),
      validUntil: dayOf(report.validUntil),
    });
  });

  it("reports a transaction mined as failed 422 with its hash and block: its nonce is spent", async () => {
    const f = await openGateway();
    const evaluator = await walletOf(f.signerOf.evaluator);
    // Enough gas to start, not to finish: the simulation (without a gas limit) passes, the mined transaction fails.
    const { raw } = await signedAnchoring(f, evaluator, { gasLimit: 60_000n });
    const nonce = await ethers.provider.getTransactionCount(evaluator.address);
    // Mined in a block of its own after the broadcast (Hardhat's automine would refuse a failing one at once).
    await network.provider.send("evm_setAutomine", [false]);
    let sent;
    try {
      const answer = f
        .as("evaluator")
        .post("/transactions", { signedTransaction: raw })
        .then((r) => r);
      while ((await ethers.provider.send("eth_getBlockByNumber", ["pending", false])).transactions.length === 0)
        await new Promise((r) => setTimeout(r, 50));
      await network.provider.send("evm_mine", []);
      sent = await answer;
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
    expect([sent.status, sent.body.error?.code], JSON.stringify(sent.body)).to.deep.equal([
      422,
      "TRANSACTION_REVERTED",
    ]);
    expect(sent.body.error.details, JSON.stringify(sent.body)).to.have.property("transactionHash");
    const receipt = await ethers.provider.getTransactionReceipt(sent.body.error.details.transactionHash);
    expect([receipt!.status, receipt!.blockNumber]).to.deep.equal([0, sent.body.error.details.blockNumber]);
    expect(await ethers.provider.getTransactionCount(evaluator.address)).to.equal(nonce + 1);
  });
});
