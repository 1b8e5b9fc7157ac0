/**
 * LossSplit (SPEC §6 "Conventions", loss sharing) and CalendarYear, through the thin LossSplitHarness.
 * Expected values come from an independent BigInt model, from hand arithmetic, or from JavaScript's own calendar.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";

const WHOLE_BPS = 10_000n;
const NO_CAP = 2n ** 256n - 1n; // type(uint256).max
const MAX_UINT = NO_CAP;

async function deployHarnessFixture() {
  const harness = await (await ethers.getContractFactory("LossSplitHarness")).deploy();
  return { harness };
}

/** The reference model: floor(loss × bps ÷ 10,000), then the cap; the bank takes the rest. */
function splitModel(loss: bigint, shareBps: number[], caps: bigint[]) {
  const shares = shareBps.map((bps, i) => {
    const share = (loss * BigInt(bps)) / WHOLE_BPS;
    return share < caps[i] ? share : caps[i];
  });
  const bankShare = loss - shares.reduce((sum, s) => sum + s, 0n);
  return { shares, bankShare };
}

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe("LossSplit", () => {
  describe("split", () => {
    it("splits a Zhongshan loss 54 : 16 : 4 and leaves the bank its 26 %", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      // 1,000,000,000 fen × 5400 / 10000 = 540,000,000; × 1600 → 160,000,000; × 400 → 40,000,000;
      // bank = 1,000,000,000 − 740,000,000 = 260,000,000.
      const [shares, bankShare] = await harness.split(1_000_000_000n, [5400, 1600, 400], [NO_CAP, NO_CAP, NO_CAP]);
      expect([...shares]).to.deep.equal([540_000_000n, 160_000_000n, 40_000_000n]);
      expect(bankShare).to.equal(260_000_000n);
    });

    it("rounds every party's share down and gives the dust to the bank", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      // 123,456,789 × 5400 / 10000 = 66,666,666.06 → 66,666,666
      // 123,456,789 × 1600 / 10000 = 19,753,086.24 → 19,753,086
      // 123,456,789 ×  400 / 10000 =  4,938,271.56 →  4,938,271
      // bank = 123,456,789 − 91,358,023 = 32,098,766 (its nominal 26 % is 32,098,765.14; the dust is 1 fen)
      const [shares, bankShare] = await harness.split(123_456_789n, [5400, 1600, 400], [NO_CAP, NO_CAP, NO_CAP]);
      expect([...shares]).to.deep.equal([66_666_666n, 19_753_086n, 4_938_271n]);
      expect(bankShare).to.equal(32_098_766n);
    });

    it("gives a one-fen loss entirely to the bank", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      // 1 × 5000 / 10000 = 0.5 → 0 for each of the two parties.
      const [shares, bankShare] = await harness.split(1n, [5000, 5000], [NO_CAP, NO_CAP]);
      expect([...shares]).to.deep.equal([0n, 0n]);
      expect(bankShare).to.equal(1n);
    });

    it("caps a party's share and gives the excess to the bank", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      // 1,200,000,000 × 5000 / 10000 = 600,000,000 > cap 500,000,000 → 500,000,000; bank 700,000,000.
      const [shares, bankShare] = await harness.split(1_200_000_000n, [5000], [500_000_000n]);
      expect([...shares]).to.deep.equal([500_000_000n]);
      expect(bankShare).to.equal(700_000_000n);
    });

    it("treats a cap of 0 as binding: that party bears nothing", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      // party 0: min(50,000, 0) = 0; party 1: 100,000 × 3000 / 10000 = 30,000; bank 70,000.
      const [shares, bankShare] = await harness.split(100_000n, [5000, 3000], [0n, NO_CAP]);
      expect([...shares]).to.deep.equal([0n, 30_000n]);
      expect(bankShare).to.equal(70_000n);
    });

    it("does not overflow on the largest loss", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      // (2^256 − 1) × 5000 / 10000 = 2^255 − 0.5 → 2^255 − 1 for each party; bank = 2^256 − 1 − (2^256 − 2) = 1.
      const [halves, bankOfHalves] = await harness.split(MAX_UINT, [5000, 5000], [NO_CAP, NO_CAP]);
      expect([...halves]).to.deep.equal([2n ** 255n - 1n, 2n ** 255n - 1n]);
      expect(bankOfHalves).to.equal(1n);
      const [whole, bankOfWhole] = await harness.split(MAX_UINT, [10_000], [NO_CAP]);
      expect([...whole]).to.deep.equal([MAX_UINT]);
      expect(bankOfWhole).to.equal(0n);
    });
  });

  describe("split matches the reference model", () => {
    /** 1–8 shares adding up to at most 10,000 bps, often exactly 10,000. */
    const shareBpsArb = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 }).map((bps) => {
        const total = bps.reduce((a, b) => a + b, 0);
        return total <= 10_000 ? bps : bps.map((b) => Math.floor((b * 10_000) / total));
      }),
      // Cut 0…10,000 at sorted points: the pieces add up to exactly 10,000.
      fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 7 }).map((cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), 10_000];
        return points.slice(1).map((p, i) => p - points[i]);
      }),
    );
    const lossArb = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 200n }), fc.bigInt({ min: 0n, max: 100_000n }));
    const capArb = fc.oneof(
      fc.constant(NO_CAP),
      fc.constant(0n),
      fc.bigInt({ min: 0n, max: 100_000n }),
      fc.bigInt({ min: 0n, max: 2n ** 200n }),
    );
    const caseArb = lossArb.chain((loss) =>
      shareBpsArb.chain((shareBps) =>
        fc
          .array(capArb, { minLength: shareBps.length, maxLength: shareBps.length })
          .map((caps) => ({ loss, shareBps, caps })),
      ),
    );

    it("gives every party the model's share and the bank the exact remainder, within caps and rounding", async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      await fc.assert(
        fc.asyncProperty(caseArb, async ({ loss, shareBps, caps }) => {
          const [sharesResult, bankShare] = await harness.split(loss, shareBps, caps);
          const shares = [...sharesResult];
          const model = splitModel(loss, shareBps, caps);

          expect(shares).to.deep.equal(model.shares);
          expect(bankShare).to.equal(model.bankShare);
          // Conservation: the shares add up to the loss, to the last fen.
          expect(sum(shares) + bankShare).to.equal(loss);
          shares.forEach((share, i) => {
            expect(share <= caps[i], `share ${i} within its cap`).to.equal(true);
            expect(share <= (loss * BigInt(shareBps[i])) / WHOLE_BPS, `share ${i} within its bps`).to.equal(true);
          });
          // The bank bears at least its nominal share (rounded down) and never more than the whole loss.
          const nominalBank = (loss * (WHOLE_BPS - BigInt(shareBps.reduce((a, b) => a + b, 0)))) / WHOLE_BPS;
          expect(bankShare >= nominalBank && bankShare <= loss, "nominal bank share ≤ bank share ≤ loss").to.equal(
            true,
          );
          // Where no cap binds, rounding gives the bank less than one unit per party on top of its nominal share.
          const uncapped = shares.every((share, i) => share === (loss * BigInt(shareBps[i])) / WHOLE_BPS);
          if (uncapped) {
            const excessTimesBps =
              bankShare * WHOLE_BPS - loss * (WHOLE_BPS - BigInt(shareBps.reduce((a, b) => a + b, 0)));
            expect(excessTimesBps < BigInt(shares.length) * WHOLE_BPS, "dust < one unit per party").to.equal(true);
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe("CalendarYear", () => {
  /** Seconds since the epoch of an ISO-8601 UTC instant. */
  const at = (iso: string) => BigInt(Date.parse(iso) / 1000);

  const knownYears: [string, number, string][] = [
    ["1970-01-01T00:00:00Z", 1970, "the epoch (08:00 in China)"],
    ["1970-12-31T15:59:59Z", 1970, "the last second of 1970 in China"],
    ["1970-12-31T16:00:00Z", 1971, "midnight of 1971 in China, still 1970 in UTC"],
    ["2024-02-29T12:00:00Z", 2024, "a leap day"],
    ["2024-12-31T15:59:59Z", 2024, "the last second of the leap year 2024 in China"],
    ["2024-12-31T16:00:00Z", 2025, "the first second of 2025 in China, after a leap year"],
    ["2025-12-31T15:59:59Z", 2025, "the last second of 2025 in China"],
    ["2025-12-31T16:00:00Z", 2026, "the first second of 2026 in China, still 2025 in UTC"],
    ["2000-02-29T00:00:00Z", 2000, "the leap day of 2000 (divisible by 400)"],
    ["2000-12-31T16:00:00Z", 2001, "the first second of 2001 in China, after 366 days"],
    ["2099-12-31T16:00:00Z", 2100, "the first second of 2100 in China"],
    ["2100-02-28T16:00:00Z", 2100, "1 March 2100 in China (2100 has no 29 February)"],
    ["2100-12-31T15:59:59Z", 2100, "the last second of 2100 in China"],
    ["2100-12-31T16:00:00Z", 2101, "the first second of 2101 in China, after a 365-day 2100"],
  ];
  for (const [iso, year, what] of knownYears) {
    it(`puts ${iso} in ${year}: ${what}`, async () => {
      const { harness } = await loadFixture(deployHarnessFixture);
      expect(await harness.yearOf(at(iso))).to.equal(year);
    });
  }

  it("agrees with the JavaScript calendar shifted to UTC+8 for any timestamp below 2^34", async () => {
    const { harness } = await loadFixture(deployHarnessFixture);
    // Half the runs land within a day of a New Year in China, where an off-by-one would show.
    const newYearArb = fc
      .tuple(fc.integer({ min: 1970, max: 2500 }), fc.integer({ min: -86_400, max: 86_400 }))
      .map(([year, offset]) => Math.max(0, Date.UTC(year, 0, 1) / 1000 - 8 * 3600 + offset));
    const tsArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 34 - 1 }), newYearArb);
    await fc.assert(
      fc.asyncProperty(tsArb, async (ts) => {
        const expected = new Date((ts + 8 * 3600) * 1000).getUTCFullYear();
        expect(await harness.yearOf(ts)).to.equal(BigInt(expected));
      }),
      { numRuns: 300 },
    );
  });
});
