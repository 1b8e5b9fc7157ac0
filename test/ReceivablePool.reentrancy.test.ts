/**
 * ReceivablePool against a hostile payment token (SPEC §6 items 6–7): a token whose transfer or transferFrom calls
 * back into the pool. Every cash-moving entry point is guarded, so the reentrant call fails with OpenZeppelin's
 * ReentrancyGuardReentrantCall and the outer operation reverts as a whole: nothing in the books moves.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import type { ReceivablePool, ReentrantStablecoin, TrancheToken } from "../typechain-types";
import { DAY } from "./helpers/registryFixture";
import { calendar, deployLicensingFixture } from "./helpers/poolFixture";

/**
 * A closed pool paid in the reentrant token: senior 300,000 CNY (inv0 200,000, inv1 100,000), subordinated 20,000
 * (originator), a 1,000 CNY fee per period; instalment 0 (100,000 CNY) paid and period 0 distributed, so that the
 * holders have something to claim.
 */
async function hostileTokenFixture() {
  const f = await deployLicensingFixture();
  const coin = await (await ethers.getContractFactory("ReentrantStablecoin")).deploy();
  const [inv0, inv1] = f.signers.investors;
  const { originator, licensees } = f.signers;
  const payer = licensees[0];
  const periodEnds = calendar(f.now + 40n * DAY, 4);
  const schedule = periodEnds.map((end) => ({ dueDate: end - 15n * DAY, amount: cny(100_000) }));
  const licenceId = await f.recordSubLicence(payer, schedule);
  const { pool, tranches } = await f.createPool({
    paymentToken: await coin.getAddress(),
    receivables: [licenceId],
    periodEnds,
    feePerPeriod: cny(1_000),
    tranches: [
      { name: "Senior A", symbol: "LFR-A", face: cny(300_000), couponBps: 400 },
      { name: "Subordinated", symbol: "LFR-B", face: cny(20_000), couponBps: 0 },
    ],
  });
  for (const account of [inv0, inv1, originator, payer]) {
    await coin.mint(account.address, cny(1_000_000));
    await coin.connect(account).approve(await pool.getAddress(), cny(1_000_000));
  }
  await pool.connect(inv0).subscribe(0, cny(200_000));
  await pool.connect(inv1).subscribe(0, cny(100_000));
  await pool.connect(originator).subscribe(1, cny(20_000));
  await pool.connect(originator).close();
  await pool.connect(payer).payInstalment(licenceId, 0, cny(100_000));
  await time.increaseTo(periodEnds[0]);
  await pool.distribute();
  return { ...f, coin, pool, tranches, inv0, inv1, payer, licenceId, periodEnds };
}

/** Everything a reverted operation must have left as it was. */
async function books(pool: ReceivablePool, coin: ReentrantStablecoin, tranches: TrancheToken[], holders: string[]) {
  const poolAddress = await pool.getAddress();
  return {
    reconciliation: [...(await pool.reconcile())],
    periodsDistributed: await pool.periodsDistributed(),
    tranches: await Promise.all(tranches.map(async (_, i) => [...(await pool.trancheOf(i))])),
    claimable: await Promise.all(holders.map((h) => tranches[0].claimableOf(h))),
    cash: await Promise.all([poolAddress, ...holders].map((a) => coin.balanceOf(a))),
  };
}

describe("ReceivablePool — reentrancy", () => {
  const guarded = [
    ["claim", (p: ReceivablePool) => p.interface.encodeFunctionData("claim", [0])],
    ["distribute", (p: ReceivablePool) => p.interface.encodeFunctionData("distribute")],
    ["payInstalment", (p: ReceivablePool) => p.interface.encodeFunctionData("payInstalment", [1n, 1, 1n])],
    ["subscribe", (p: ReceivablePool) => p.interface.encodeFunctionData("subscribe", [0, 1n])],
    ["refund", (p: ReceivablePool) => p.interface.encodeFunctionData("refund", [0])],
    ["payGuarantorCall", (p: ReceivablePool) => p.interface.encodeFunctionData("payGuarantorCall", [0, 1n])],
    ["bookUnsolicited", (p: ReceivablePool) => p.interface.encodeFunctionData("bookUnsolicited")],
    ["windUp", (p: ReceivablePool) => p.interface.encodeFunctionData("windUp")],
  ] as const;

  for (const [reentered, encode] of guarded) {
    it(`reverts a claim whose payout re-enters ${reentered}, leaving the books unchanged`, async () => {
      const f = await loadFixture(hostileTokenFixture);
      const holders = [f.inv0.address, f.inv1.address];
      const before = await books(f.pool, f.coin, f.tranches, holders);
      expect(before.claimable[0]).to.be.greaterThan(0n);
      await f.coin.arm(await f.pool.getAddress(), encode(f.pool), false);
      await expect(f.pool.connect(f.inv0).claim(0)).to.be.revertedWithCustomError(
        f.pool,
        "ReentrancyGuardReentrantCall",
      );
      expect(await books(f.pool, f.coin, f.tranches, holders)).to.deep.equal(before);
    });
  }

  it("reverts an instalment payment whose transferFrom re-enters distribute, leaving the books unchanged", async () => {
    const f = await loadFixture(hostileTokenFixture);
    await time.increaseTo(f.periodEnds[1]); // period 1 has ended: distribute would otherwise run
    const holders = [f.inv0.address, f.inv1.address, f.payer.address];
    const before = await books(f.pool, f.coin, f.tranches, holders);
    const recordBefore = [...(await f.pool.instalmentRecordOf(f.licenceId, 1))];
    await f.coin.arm(await f.pool.getAddress(), f.pool.interface.encodeFunctionData("distribute"), false);
    await expect(f.pool.connect(f.payer).payInstalment(f.licenceId, 1, cny(50_000))).to.be.revertedWithCustomError(
      f.pool,
      "ReentrancyGuardReentrantCall",
    );
    expect(await books(f.pool, f.coin, f.tranches, holders)).to.deep.equal(before);
    expect([...(await f.pool.instalmentRecordOf(f.licenceId, 1))]).to.deep.equal(recordBefore);
  });

  it("reverts a distribution whose fee payment re-enters claim, leaving the books unchanged", async () => {
    const f = await loadFixture(hostileTokenFixture);
    await f.pool.connect(f.payer).payInstalment(f.licenceId, 1, cny(100_000));
    await time.increaseTo(f.periodEnds[1]);
    const holders = [f.inv0.address, f.inv1.address, f.signers.feeRecipient.address];
    const before = await books(f.pool, f.coin, f.tranches, holders);
    await f.coin.arm(await f.pool.getAddress(), f.pool.interface.encodeFunctionData("claim", [0]), false);
    await expect(f.pool.distribute()).to.be.revertedWithCustomError(f.pool, "ReentrancyGuardReentrantCall");
    expect(await books(f.pool, f.coin, f.tranches, holders)).to.deep.equal(before);
    expect(await f.pool.periodDigestOf(1)).to.equal(ethers.ZeroHash);
  });

  it("fails the reentrant call itself with ReentrancyGuardReentrantCall (seen when the token swallows it)", async () => {
    const f = await loadFixture(hostileTokenFixture);
    await f.coin.arm(await f.pool.getAddress(), f.pool.interface.encodeFunctionData("claim", [0]), true);
    const claimable = await f.tranches[0].claimableOf(f.inv0.address);
    // The outer claim completes on its own: it pays inv0 once, and the books still balance.
    await expect(f.pool.connect(f.inv0).claim(0)).to.changeTokenBalance(f.coin, f.inv0, claimable);
    expect(await f.coin.reentries()).to.equal(1n);
    expect(await f.coin.lastReentryError()).to.equal(
      f.pool.interface.getError("ReentrancyGuardReentrantCall")!.selector,
    );
    expect((await f.pool.reconcile()).balanced).to.equal(true);
  });
});
