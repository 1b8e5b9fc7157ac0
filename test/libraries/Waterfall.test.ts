/**
 * The waterfall's interest arithmetic (SPEC §6 conventions): outstanding × coupon bps × whole days ÷ (10,000 × 365),
 * rounded down — checked on hand-worked figures and against the reference model for random inputs.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { periodInterest, wholeDays } from "../helpers/waterfallModel";

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
