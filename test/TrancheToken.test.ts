/**
 * TrancheToken (SPEC §6 item 5): held and moved only by identified investors; minted, burnt and credited only by its
 * pool; pull-based claims that a transfer neither loses nor duplicates. Money in fen (1 CNY = 100 fen); every
 * expected figure is worked out by hand in the comment above it.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import { DAY } from "./helpers/registryFixture";
import { QUARTER, calendar, deployLicensingFixture } from "./helpers/poolFixture";

const SENIOR_FACE = 30_000_000n; // 300,000 CNY
const SUB_FACE = 2_000_000n; // 20,000 CNY

/**
 * A closed pool: senior 300,000 CNY at 4 % held 17/30 by inv0 (170,000) and 13/30 by inv1 (130,000); the
 * originator holds the subordinated 20,000. No fees, no reserve. Closed exactly 91 days before the first period end,
 * so that every period counts 91 days.
 */
async function trancheFixture() {
  const f = await deployLicensingFixture();
  const periodEnds = calendar(f.now + 40n * DAY, 4);
  const schedule = periodEnds.map((end) => ({ dueDate: end - 15n * DAY, amount: cny(100_000) }));
  const licenceId = await f.recordSubLicence(f.signers.licensees[0], schedule);
  const { pool, tranches } = await f.createPool({
    receivables: [licenceId],
    periodEnds,
    tranches: [
      { name: "Senior A", symbol: "LFR-A", face: SENIOR_FACE, couponBps: 400 },
      { name: "Subordinated", symbol: "LFR-B", face: SUB_FACE, couponBps: 0 },
    ],
  });
  const [inv0, inv1, inv2] = f.signers.investors;
  const { originator, licensees, registrar, outsider } = f.signers;
  await f.subscribe(pool, inv0, 0, 17_000_000n);
  await f.subscribe(pool, inv1, 0, 13_000_000n);
  await f.subscribe(pool, originator, 1, SUB_FACE);
  await time.setNextBlockTimestamp(periodEnds[0] - QUARTER);
  await pool.connect(originator).close();
  await f.stablecoin.connect(licensees[0]).approve(await pool.getAddress(), cny(1_000_000));
  const senior = tranches[0];

  /** The licensee pays `amount` of instalment `index`, then the period `index` is distributed at its end. */
  const collectAndDistribute = async (index: number, amount: bigint) => {
    await pool.connect(licensees[0]).payInstalment(licenceId, index, amount);
    await time.increaseTo(periodEnds[index]);
    await pool.distribute();
  };
  return {
    ...f,
    periodEnds,
    licenceId,
    pool,
    tranches,
    senior,
    inv0,
    inv1,
    inv2,
    originator,
    registrar,
    outsider,
    collectAndDistribute,
  };
}

describe("TrancheToken", () => {
  describe("who may hold and move it", () => {
    it("moves between identified investors", async () => {
      const f = await loadFixture(trancheFixture);
      await expect(f.senior.connect(f.inv0).transfer(f.inv2.address, 1_000n)).to.changeTokenBalances(
        f.senior,
        [f.inv0, f.inv2],
        [-1_000n, 1_000n],
      );
    });

    it("refuses a transfer to an address that is not identified, naming it", async () => {
      const f = await loadFixture(trancheFixture);
      const stranger = f.signers.unidentified;
      await expect(f.senior.connect(f.inv0).transfer(stranger.address, 1_000n))
        .to.be.revertedWithCustomError(f.senior, "HolderNotIdentified")
        .withArgs(stranger.address);
      await f.senior.connect(f.inv0).approve(f.inv1.address, 1_000n);
      await expect(f.senior.connect(f.inv1).transferFrom(f.inv0.address, stranger.address, 1_000n))
        .to.be.revertedWithCustomError(f.senior, "HolderNotIdentified")
        .withArgs(stranger.address);
    });

    it("lets a removed investor neither send nor receive, but it keeps what accrued and can claim it", async () => {
      const f = await loadFixture(trancheFixture);
      // Period 1 pays the senior tranche 9,000,007; inv1's 13/30 is 3,900,003.03 → 3,900,003.
      await f.collectAndDistribute(0, 9_000_007n);
      await f.investorRegistry.connect(f.registrar).remove(f.inv1.address, "identification lapsed");
      await expect(f.senior.connect(f.inv1).transfer(f.inv0.address, 1n))
        .to.be.revertedWithCustomError(f.senior, "HolderNotIdentified")
        .withArgs(f.inv1.address);
      await expect(f.senior.connect(f.inv0).transfer(f.inv1.address, 1n))
        .to.be.revertedWithCustomError(f.senior, "HolderNotIdentified")
        .withArgs(f.inv1.address);
      expect(await f.senior.balanceOf(f.inv1.address)).to.equal(13_000_000n);
      expect(await f.senior.claimableOf(f.inv1.address)).to.equal(3_900_003n);
      const tx = f.pool.connect(f.inv1).claim(0);
      await expect(tx).to.emit(f.pool, "Claimed").withArgs(0, f.inv1.address, 3_900_003n);
      await expect(tx).to.changeTokenBalances(f.stablecoin, [f.inv1, f.pool], [3_900_003n, -3_900_003n]);
    });
  });

  describe("only its pool", () => {
    for (const action of ["mint", "burn", "distribute", "distributeExact", "recordClaim"] as const) {
      it(`refuses ${action} from anyone but the pool`, async () => {
        const f = await loadFixture(trancheFixture);
        for (const caller of [f.outsider, f.originator]) {
          const token = f.senior.connect(caller);
          const call =
            action === "mint"
              ? token.mint(f.inv0.address, 1n)
              : action === "burn"
                ? token.burn(f.inv0.address, 1n)
                : action === "distribute"
                  ? token.distribute(1_000n)
                  : action === "distributeExact"
                    ? token.distributeExact(1_000n)
                    : token.recordClaim(f.inv0.address);
          await expect(call).to.be.revertedWithCustomError(f.senior, "TrancheTokenOnlyPool").withArgs(caller.address);
        }
      });
    }
  });

  describe("crediting to the unit (the pool's wind-up)", () => {
    it("credits exactly the amount where the rounded-down distribution loses a unit", async () => {
      const f = await loadFixture(trancheFixture);
      // A token whose "pool" is a test signer, held 1 + 2 = 3 units: 10 ÷ 3 per token cannot be represented.
      // distribute(10): the increment floor(10 × 2^128 ÷ 3) credits floor(3 × increment ÷ 2^128) = 9, losing 1.
      const [poolSigner] = await ethers.getSigners();
      const deploy = () =>
        ethers.deployContract("TrancheToken", ["T", "T", 2, f.investorRegistry.getAddress(), 0], poolSigner);
      const [lossy, exact] = [await deploy(), await deploy()];
      for (const token of [lossy, exact]) {
        await token.mint(f.inv0.address, 1n);
        await token.mint(f.inv1.address, 2n);
      }
      await expect(lossy.distribute(10n)).to.emit(lossy, "TrancheDistributed").withArgs(10n, 9n);
      await expect(exact.distributeExact(10n)).to.emit(exact, "TrancheDistributed").withArgs(10n, 10n);
      // After a lossy distribution the exact one still adds exactly its amount: 9 + 5 = 14.
      await expect(lossy.distributeExact(5n)).to.emit(lossy, "TrancheDistributed").withArgs(5n, 5n);
      expect([await exact.totalCredited(), await lossy.totalCredited()]).to.deep.equal([10n, 14n]);
      for (const token of [lossy, exact]) {
        const accrued = (await token.accumulatedOf(f.inv0.address)) + (await token.accumulatedOf(f.inv1.address));
        expect(accrued, "holders together never above what was credited").to.be.lte(await token.totalCredited());
      }
      // inv1 holds two thirds of 10: 6.66… → 6; inv0 a third: 3.33… → 3.
      expect([await exact.accumulatedOf(f.inv0.address), await exact.accumulatedOf(f.inv1.address)]).to.deep.equal([
        3n,
        6n,
      ]);
    });
  });

  describe("what it reports", () => {
    it("has the payment token's decimals", async () => {
      const f = await loadFixture(trancheFixture);
      expect(await f.senior.decimals()).to.equal(2n);
      expect(await f.tranches[1].decimals()).to.equal(await f.stablecoin.decimals());

      const sixDecimals = await (await ethers.getContractFactory("FeeOnTransferStablecoin")).deploy(6, 0);
      const schedule = [{ dueDate: f.periodEnds[3], amount: 1_000_000n }];
      const licenceId = await f.recordSubLicence(f.signers.licensees[1], schedule);
      const { tranches } = await f.createPool({
        paymentToken: await sixDecimals.getAddress(),
        receivables: [licenceId],
        periodEnds: f.periodEnds,
        tranches: [
          { name: "Senior", symbol: "S", face: 900_000n, couponBps: 300 },
          { name: "Sub", symbol: "B", face: 100_000n, couponBps: 0 },
        ],
      });
      expect(await tranches[0].decimals()).to.equal(6n);
    });

    it("reports the pool's pool factor as principal is repaid", async () => {
      const f = await loadFixture(trancheFixture);
      expect(await f.senior.poolFactor()).to.equal(10n ** 18n);
      // Period 1: interest 30,000,000 × 400 × 91 ÷ 3,650,000 = 299,178.08 → 299,178; principal
      // 9,000,007 − 299,178 = 8,700,829; outstanding 21,299,171 → factor 21,299,171 × 10^18 ÷ 30,000,000, rounded down.
      await f.collectAndDistribute(0, 9_000_007n);
      expect(await f.senior.poolFactor()).to.equal(709_972_366_666_666_666n);
      expect(await f.senior.poolFactor()).to.equal(await f.pool.poolFactorOf(0));
      expect(await f.tranches[1].poolFactor()).to.equal(10n ** 18n);
      expect(await f.tranches[1].poolFactor()).to.equal(await f.pool.poolFactorOf(1));
    });
  });

  describe("claims across a transfer", () => {
    it("keeps what accrued before a transfer with the sender; what accrues after goes to the receiver", async () => {
      const f = await loadFixture(trancheFixture);
      // Period 1 pays the senior tranche 9,000,007 (interest 299,178 + principal 8,700,829).
      // inv0 (17/30): 5,100,003.97 → 5,100,003; inv1 (13/30): 3,900,003.03 → 3,900,003.
      await f.collectAndDistribute(0, 9_000_007n);
      expect(await f.senior.accumulatedOf(f.inv0.address)).to.equal(5_100_003n);
      expect(await f.senior.accumulatedOf(f.inv1.address)).to.equal(3_900_003n);
      // The per-token increment rounds down: 30,000,000 = 2^7 × 234,375 does not divide 299,178 × 2^128, so the
      // tranche is credited 9,000,006 and one fen goes to the pool's dust.
      expect(await f.senior.totalCredited()).to.equal(9_000_006n);
      expect(await f.pool.dust()).to.equal(1n);

      // inv0 moves 7,000,000 to inv1: now 10,000,000 (1/3) against 20,000,000 (2/3). Nothing accrued moves.
      await f.senior.connect(f.inv0).transfer(f.inv1.address, 7_000_000n);
      expect(await f.senior.claimableOf(f.inv0.address)).to.equal(5_100_003n);
      expect(await f.senior.claimableOf(f.inv1.address)).to.equal(3_900_003n);

      // Period 2: outstanding 21,299,171; interest 21,299,171 × 400 × 91 ÷ 3,650,000 = 212,408.5 → 212,408;
      // principal 6,000,011 − 212,408 = 5,787,603; the tranche receives 6,000,011.
      // inv0: 5,100,003.97 + 6,000,011 ÷ 3 (2,000,003.67) = 7,100,007.63 → 7,100,007.
      // inv1: 3,900,003.03 + 6,000,011 × 2 ÷ 3 (4,000,007.33) = 7,900,010.37 → 7,900,010.
      await f.collectAndDistribute(1, 6_000_011n);
      expect(await f.senior.accumulatedOf(f.inv0.address)).to.equal(7_100_007n);
      expect(await f.senior.accumulatedOf(f.inv1.address)).to.equal(7_900_010n);
      // 15,000,018 paid to the tranche: 15,000,017 credited (both holders exactly: no residue), 1 fen of dust.
      expect(await f.senior.totalCredited()).to.equal(15_000_017n);
      expect(await f.pool.dust()).to.equal(1n);
      // Outstanding 21,299,171 − 5,787,603 = 15,511,568 → factor 15,511,568 × 10^18 ÷ 30,000,000, rounded down.
      expect(await f.senior.poolFactor()).to.equal(517_052_266_666_666_666n);

      await expect(f.pool.connect(f.inv0).claim(0)).to.changeTokenBalance(f.stablecoin, f.inv0, 7_100_007n);
      await expect(f.pool.connect(f.inv1).claim(0)).to.changeTokenBalance(f.stablecoin, f.inv1, 7_900_010n);
      expect((await f.pool.trancheOf(0)).claimable).to.equal(0n);
      expect((await f.pool.reconcile()).balanced).to.equal(true);
    });

    it("gives a holder who sold everything nothing of what accrues afterwards", async () => {
      const f = await loadFixture(trancheFixture);
      await f.collectAndDistribute(0, 9_000_007n);
      await f.pool.connect(f.inv0).claim(0); // 5,100,003, as above
      await f.senior.connect(f.inv0).transfer(f.inv2.address, 17_000_000n);
      // Period 2's 6,000,011: inv2 (17/30) 3,400,006.23 → 3,400,006; inv0 nothing more.
      await f.collectAndDistribute(1, 6_000_011n);
      await expect(f.pool.connect(f.inv0).claim(0))
        .to.be.revertedWithCustomError(f.pool, "NothingToClaim")
        .withArgs(0, f.inv0.address);
      expect(await f.senior.accumulatedOf(f.inv0.address)).to.equal(5_100_003n);
      await expect(f.pool.connect(f.inv2).claim(0)).to.changeTokenBalance(f.stablecoin, f.inv2, 3_400_006n);
    });
  });
});
