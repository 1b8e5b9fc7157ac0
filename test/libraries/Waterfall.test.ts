/**
 * The waterfall library (SPEC §6.4 and conventions), through its harness: the interest arithmetic (outstanding ×
 * coupon bps × whole days ÷ (10,000 × 365), rounded down) and the order in which a period's cash is divided — each
 * checked on hand-worked figures and against the reference model (waterfallModel.ts) for random inputs.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { divideCash, periodInterest, wholeDays, type CashToDivide } from "../helpers/waterfallModel";

const DAY = 86_400n;

describe("Waterfall — period interest (Actual/365 Fixed)", () => {
  async function harnessFixture() {
    return (await ethers.getContractFactory("WaterfallHarness")).deploy();
  }

  it("accrues a 91-day quarter on 95,000,000.00 CNY at 5.80 % to the fen, rounded down", async () => {
    const harness = await loadFixture(harnessFixture);
    // 9,500,000,000 fen × 580 × 91 ÷ 3,650,000 = 137,372,602.73… → 137,372,602 fen.
    expect(await harness.interest(9_500_000_000n, 580, 0, 91n * DAY)).to.equal(137_372_602n);
  });

  it("counts whole days only: a part-day accrues nothing", async () => {
    const harness = await loadFixture(harnessFixture);
    expect(await harness.interest(9_500_000_000n, 580, 0, 91n * DAY + DAY - 1n)).to.equal(137_372_602n);
    expect(await harness.interest(9_500_000_000n, 580, 1_000, 1_000n + DAY - 1n)).to.equal(0n);
  });

  it("agrees with the reference model for any outstanding, coupon and period", async () => {
    const harness = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 2n ** 128n }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.bigInt({ min: 0n, max: 2n ** 34n }),
        fc.bigInt({ min: 0n, max: 400n * DAY }),
        async (outstanding, bps, start, length) => {
          const expected = periodInterest(outstanding, BigInt(bps), wholeDays(start, start + length));
          expect(await harness.interest(outstanding, bps, start, start + length)).to.equal(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("Waterfall — the order of a period's cash (allocate)", () => {
  async function harnessFixture() {
    return (await ethers.getContractFactory("WaterfallHarness")).deploy();
  }

  /** The harness's answer as plain numbers. */
  const allocate = async (harness: Awaited<ReturnType<typeof harnessFixture>>, cash: CashToDivide) => {
    const a = await harness.allocate(cash);
    return {
      feesPaid: a.feesPaid,
      interestPaid: [...a.interestPaid],
      reserveReleased: a.reserveReleased,
      principalPaid: [...a.principalPaid],
      reserveToppedUp: a.reserveToppedUp,
      subordinatedPaid: a.subordinatedPaid,
    };
  };
  /** Two senior classes (A1, A2) and the subordinated tranche; a reserve 30 below its target of 80. */
  const base: CashToDivide = {
    available: 0n,
    feeDue: 100n,
    interestDue: [200n, 300n],
    outstanding: [250n, 400n, 1_000n],
    reserve: 50n,
    reserveTarget: 80n,
    releaseReserve: false,
    sweep: 0n,
  };

  it("pays fees before senior interest, A1's interest before A2's, and leaves the rest unpaid", async () => {
    const harness = await loadFixture(harnessFixture);
    // 250: fees 100, A1 interest 150 of 200, A2 nothing.
    expect(await allocate(harness, { ...base, available: 250n })).to.deep.equal({
      feesPaid: 100n,
      interestPaid: [150n, 0n],
      reserveReleased: 0n,
      principalPaid: [0n, 0n, 0n],
      reserveToppedUp: 0n,
      subordinatedPaid: 0n,
    });
    // 50: not even the fee.
    expect((await allocate(harness, { ...base, available: 50n })).feesPaid).to.equal(50n);
  });

  it("retires senior principal by priority (turbo) before topping the reserve up", async () => {
    const harness = await loadFixture(harnessFixture);
    // 1,000 − 100 − 200 − 300 = 400: A1 250, A2 150 of 400; nothing for the reserve nor the subordinated.
    expect(await allocate(harness, { ...base, available: 1_000n })).to.deep.equal({
      feesPaid: 100n,
      interestPaid: [200n, 300n],
      reserveReleased: 0n,
      principalPaid: [250n, 150n, 0n],
      reserveToppedUp: 0n,
      subordinatedPaid: 0n,
    });
  });

  it("tops the reserve up to its target once the seniors are repaid, then gives the subordinated the rest", async () => {
    const harness = await loadFixture(harnessFixture);
    // 2,000 − 600 = 1,400: A1 250, A2 400 → 750; top-up 30 → 720, all principal of the subordinated (1,000).
    expect(await allocate(harness, { ...base, available: 2_000n })).to.deep.equal({
      feesPaid: 100n,
      interestPaid: [200n, 300n],
      reserveReleased: 0n,
      principalPaid: [250n, 400n, 720n],
      reserveToppedUp: 30n,
      subordinatedPaid: 720n,
    });
  });

  it("releases the reserve before principal at the end of the term, and sweeps dust to the subordinated", async () => {
    const harness = await loadFixture(harnessFixture);
    const cash = { ...base, available: 100n, feeDue: 30n, interestDue: [20n], outstanding: [10n, 5n] };
    // 100 − 30 − 20 = 50, + the reserve 50 = 100; A1 10 → 90; no top-up; + sweep 7 = 97: principal 5, excess 92.
    expect(await allocate(harness, { ...cash, releaseReserve: true, sweep: 7n })).to.deep.equal({
      feesPaid: 30n,
      interestPaid: [20n],
      reserveReleased: 50n,
      principalPaid: [10n, 5n],
      reserveToppedUp: 0n,
      subordinatedPaid: 97n,
    });
  });

  it("agrees with the reference model for any cash, dues, balances and reserve", async () => {
    const harness = await loadFixture(harnessFixture);
    const money = fc.bigInt({ min: 0n, max: 10n ** 15n });
    const cash = fc.integer({ min: 1, max: 4 }).chain((seniors) =>
      fc.record({
        available: money,
        feeDue: money,
        interestDue: fc.array(money, { minLength: seniors, maxLength: seniors }),
        outstanding: fc.array(money, { minLength: seniors + 1, maxLength: seniors + 1 }),
        reserve: money,
        reserveTarget: money,
        releaseReserve: fc.boolean(),
        sweep: money,
      }),
    );
    await fc.assert(
      fc.asyncProperty(cash, async (c) => {
        expect(await allocate(harness, c)).to.deep.equal(divideCash(c));
      }),
      { numRuns: 150 },
    );
  });
});
