/**
 * The shortfall-payment undertaking (差额支付承诺): when collections and the reserve cannot pay fees and senior
 * interest, the guarantor is called for what is still missing — never twice for the same money. A guarantor that
 * authorised the pool (an ERC-20 allowance) pays in the same distribution; one that did not (the fixtures below,
 * unless a test approves) leaves the call unpaid and the shortfall in arrears, and its later payment enters the
 * period in which it arrives. Every figure below is worked out by hand. Only the pool needs to see the dates, so its
 * clock is set (ReceivablePoolHarness) rather than the chain's.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import { AMOUNT_FIELD, calendar, deployLicensingFixture } from "./helpers/poolFixture";

const DAY = 86_400n;

/** One senior class of 1,000,000.00 CNY at 4 % over 91-day quarters, fees 1,000.00, reserve 5,000.00. */
const shortfallPool = (guaranteeCap: bigint) => async () => {
  const f = await deployLicensingFixture();
  const periodEnds = calendar(f.now + DAY, 4);
  const licenceId = await f.recordSubLicence(
    f.signers.licensees[0],
    periodEnds.map((end) => ({ dueDate: end - 15n * DAY, amount: cny(300_000) })),
  );
  const { pool, tranches } = await f.createClockedPool({
    receivables: [licenceId],
    startDate: f.now + DAY,
    periodEnds,
    feePerPeriod: cny(1_000),
    reserveTarget: cny(5_000),
    guaranteeCap,
    tranches: [
      { name: "Senior", symbol: "A", face: cny(1_000_000), couponBps: 400 },
      { name: "Subordinated", symbol: "B", face: cny(50_000), couponBps: 0 },
    ],
  });
  await f.subscribe(pool, f.signers.investors[0], 0, cny(1_000_000));
  await f.subscribe(pool, f.signers.originator, 1, cny(50_000));
  // Close exactly one day before the first period ends' calendar start, so that every period has 91 whole days.
  await pool.setTime(f.now + DAY);
  await pool.connect(f.signers.originator).close();
  return { ...f, pool, tranches, periodEnds };
};
/** A cap of 100,000.00 CNY, never reached in these tests. */
async function shortfallPoolFixture() {
  return shortfallPool(cny(100_000))();
}
/** A cap of 7,000.00 CNY: enough for the first call and part of the second. */
async function smallCapFixture() {
  return shortfallPool(cny(7_000))();
}

describe("ReceivablePool — guarantor calls", () => {
  // Interest per quarter: 100,000,000 fen × 400 bps × 91 days ÷ (10,000 × 365) = 997,260.27… → 997,260 fen.
  const INTEREST = 997_260n;
  const FEE = 100_000n;

  it("pulls the call in the same distribution when the guarantor authorised the pool: interest paid in full", async () => {
    const f = await loadFixture(shortfallPoolFixture);
    const { guarantor, investors } = f.signers;
    await f.stablecoin.connect(guarantor).approve(await f.pool.getAddress(), cny(100_000));
    const before = await f.stablecoin.balanceOf(guarantor.address);
    await f.pool.setTime(f.periodEnds[0]);
    // 1,097,260 due; the reserve gives 500,000; the guarantor is called for 597,260 and the pool pulls it at once.
    await expect(f.pool.distribute())
      .to.emit(f.pool, "GuarantorCalled")
      .withArgs(0n, 0n, 597_260n)
      .and.to.emit(f.pool, "GuarantorPaid")
      .withArgs(0n, guarantor.address, 597_260n);
    expect(before - (await f.stablecoin.balanceOf(guarantor.address))).to.equal(597_260n);
    const call = await f.pool.guarantorCallOf(0);
    expect([call.amount, call.paid]).to.deep.equal([597_260n, 597_260n]);
    expect([(await f.pool.trancheOf(0)).interestArrears, await f.pool.feeArrears()]).to.deep.equal([0n, 0n]);
    // The whole quarter's interest reached the senior (credited to its holder, or a unit of rounding to dust).
    const credited = (await f.pool.trancheOf(0)).claimable;
    expect(credited + (await f.pool.dust()), "the whole quarter's interest").to.equal(INTEREST);
    expect(await f.tranches[0].claimableOf(investors[0].address)).to.equal(credited);
    const books = await f.pool.reconcile();
    expect([books.guarantorPaid, books.balanced]).to.deep.equal([597_260n, true]);
  });

  it("records the call unpaid when the allowance does not cover it, and the distribution still runs", async () => {
    const f = await loadFixture(shortfallPoolFixture);
    await f.stablecoin.connect(f.signers.guarantor).approve(await f.pool.getAddress(), 597_259n);
    await f.pool.setTime(f.periodEnds[0]);
    await expect(f.pool.distribute()).to.emit(f.pool, "GuarantorCalled").and.not.to.emit(f.pool, "GuarantorPaid");
    const call = await f.pool.guarantorCallOf(0);
    expect([call.amount, call.paid]).to.deep.equal([597_260n, 0n]);
    expect((await f.pool.trancheOf(0)).interestArrears).to.equal(597_260n);
  });

  it("draws the reserve first, then calls the guarantor for the rest", async () => {
    const f = await loadFixture(shortfallPoolFixture);
    await f.pool.setTime(f.periodEnds[0]);
    // Nothing collected: fees 100,000 + interest 997,260 = 1,097,260 due; the reserve (500,000) is drawn whole and
    // the guarantor is called for 597,260. Fees 100,000 are paid, interest 400,000; 597,260 of interest is in arrears.
    await expect(f.pool.distribute()).to.emit(f.pool, "GuarantorCalled").withArgs(0n, 0n, 597_260n);
    expect(await f.pool.reserve()).to.equal(0n);
    expect((await f.pool.trancheOf(0)).interestArrears).to.equal(597_260n);
    expect(await f.pool.guaranteeCalled()).to.equal(597_260n);
  });

  it("does not call again for money an unpaid call already asked for", async () => {
    const f = await loadFixture(shortfallPoolFixture);
    await f.pool.setTime(f.periodEnds[0]);
    await f.pool.distribute();
    await f.pool.setTime(f.periodEnds[1]);
    // Due now: fees 100,000 + interest 997,260 + arrears 597,260 = 1,694,520; nothing collected, no reserve left.
    // The unpaid call 0 (597,260) is already on its way for the arrears, so only 1,097,260 is called.
    await expect(f.pool.distribute())
      .to.emit(f.pool, "GuarantorCalled")
      .withArgs(1n, 1n, FEE + INTEREST);
    expect(await f.pool.guaranteeCalled()).to.equal(597_260n + FEE + INTEREST);
    expect(await f.pool.feeArrears()).to.equal(FEE);
    expect((await f.pool.trancheOf(0)).interestArrears).to.equal(597_260n + INTEREST);
  });

  it("takes a later payment of unpaid calls into the period in which it arrives, where it pays the arrears first", async () => {
    const f = await loadFixture(shortfallPoolFixture);
    for (const k of [0, 1]) {
      await f.pool.setTime(f.periodEnds[k]);
      await f.pool.distribute();
    }
    const owed = 597_260n + FEE + INTEREST; // both calls: 1,694,520
    await f.stablecoin.connect(f.signers.guarantor).approve(await f.pool.getAddress(), owed);
    await f.pool.connect(f.signers.guarantor).payGuarantorCall(0, 597_260n);
    await f.pool.connect(f.signers.guarantor).payGuarantorCall(1, FEE + INTEREST);
    await expect(f.pool.connect(f.signers.guarantor).payGuarantorCall(1, 1n))
      .to.be.revertedWithCustomError(f.pool, "GuarantorCallOverpaid")
      .withArgs(1n, 0n);
    await expect(f.pool.connect(f.signers.guarantor).payGuarantorCall(1, 0n))
      .to.be.revertedWithCustomError(f.pool, "ZeroAmount")
      .withArgs(AMOUNT_FIELD.GuarantorCallPayment);

    await f.pool.setTime(f.periodEnds[2]);
    // Collections 1,694,520. Due: fees 100,000 + arrears 100,000 = 200,000; interest 997,260 + arrears 1,594,520 =
    // 2,591,780. Nothing is unpaid on earlier calls, so 2,791,780 − 1,694,520 = 1,097,260 is called. Fees are paid
    // in full, interest 1,494,520; arrears 1,097,260.
    await expect(f.pool.distribute())
      .to.emit(f.pool, "GuarantorCalled")
      .withArgs(2n, 2n, FEE + INTEREST);
    expect(await f.pool.feeArrears()).to.equal(0n);
    expect((await f.pool.trancheOf(0)).interestArrears).to.equal(FEE + INTEREST);
    expect((await f.pool.guarantorCallOf(0)).paid).to.equal(597_260n);
    expect((await f.pool.reconcile()).balanced).to.equal(true);
  });

  it("never calls beyond the cap", async () => {
    const f = await loadFixture(smallCapFixture);
    await f.pool.setTime(f.periodEnds[0]);
    await f.pool.distribute(); // calls 597,260 of the 700,000 cap
    await f.pool.setTime(f.periodEnds[1]);
    // 1,097,260 is missing, but only 700,000 − 597,260 = 102,740 of the cap is left.
    await expect(f.pool.distribute()).to.emit(f.pool, "GuarantorCalled").withArgs(1n, 1n, 102_740n);
    await f.pool.setTime(f.periodEnds[2]);
    await expect(f.pool.distribute()).to.not.emit(f.pool, "GuarantorCalled");
    expect(await f.pool.guaranteeCalled()).to.equal(cny(7_000));
    expect(await f.pool.guarantorCallCount()).to.equal(2n);
  });
});
