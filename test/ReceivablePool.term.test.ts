/**
 * The pool's term (SPEC §6 conventions): the calendar starts on a stated start date whatever second the pool closes;
 * an instalment due on the last period end can be defaulted after the term and its loss allocated; the wind-up is the
 * originator's, only once nothing is outstanding and no instalment is open. Every figure is worked out by hand.
 *
 * Only the pool needs to see a date here, so its clock is set (`pool.setTime`, ReceivablePoolHarness) instead of the
 * chain's.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import { NOT_DEFAULTABLE, AMOUNT_FIELD, QUARTER, calendar, deployLicensingFixture } from "./helpers/poolFixture";

const DAY = 86_400n;

/**
 * One senior class of 1,000,000.00 CNY at 4 % and a 50,000.00 subordinated tranche; the start date 40 days from now,
 * two 91-day periods; one licence of two instalments of 600,000.00 CNY, the last due exactly on the last period end.
 */
async function termFixture() {
  const f = await deployLicensingFixture();
  const startDate = f.now + 40n * DAY;
  const periodEnds = calendar(startDate, 2);
  const licenceId = await f.recordSubLicence(f.signers.licensees[0], [
    { dueDate: periodEnds[0] - 15n * DAY, amount: cny(600_000) },
    { dueDate: periodEnds[1], amount: cny(600_000) },
  ]);
  const { pool } = await f.createClockedPool({
    receivables: [licenceId],
    startDate,
    periodEnds,
    subscriptionDeadline: startDate + 30n * DAY,
    tranches: [
      { name: "Senior", symbol: "A", face: cny(1_000_000), couponBps: 400 },
      { name: "Subordinated", symbol: "B", face: cny(50_000), couponBps: 0 },
    ],
  });
  await f.subscribe(pool, f.signers.investors[0], 0, cny(1_000_000));
  await f.subscribe(pool, f.signers.originator, 1, cny(50_000));
  await f.stablecoin.connect(f.signers.licensees[0]).approve(await pool.getAddress(), cny(1_200_000));
  return { ...f, pool, licenceId, startDate, periodEnds };
}

describe("ReceivablePool — the term", () => {
  describe("the calendar starts on the start date", () => {
    // Period 1: 100,000,000 fen × 400 bps × 91 days ÷ (10,000 × 365) = 997,260.27… → 997,260 fen, whenever it closed.
    // Counted from a closing one second late, it would be 90 whole days: 986,301 fen.
    for (const [what, offset] of [
      ["on the start date", 0n],
      ["one second after it", 1n],
      ["a day and a second after it", DAY + 1n],
      ["three days before it", -3n * DAY],
    ] as const) {
      it(`pays period 1 its 91 days of interest when the pool closes ${what}`, async () => {
        const f = await loadFixture(termFixture);
        await f.pool.setTime(f.startDate + offset);
        await f.pool.connect(f.signers.originator).close();
        await f.pool.connect(f.signers.licensees[0]).payInstalment(f.licenceId, 0, cny(600_000));
        await f.pool.setTime(f.periodEnds[0]);
        const receipt = (await (await f.pool.distribute()).wait())!;
        const report = receipt.logs
          .map((log) => f.pool.interface.parseLog(log))
          .find((e) => e?.name === "PeriodDistributed")!.args.report;
        expect([report.startDate, report.endDate]).to.deep.equal([f.startDate, f.startDate + QUARTER]);
        expect(report.interestPaid).to.deep.equal([997_260n]);
      });
    }

    it("refuses closing once the first period has ended", async () => {
      const f = await loadFixture(termFixture);
      await f.pool.setTime(f.periodEnds[0]);
      await expect(f.pool.connect(f.signers.originator).close())
        .to.be.revertedWithCustomError(f.pool, "ClosingTooLate")
        .withArgs(f.periodEnds[0]);
    });
  });

  describe("the last instalment and the wind-up", () => {
    async function closedFixture() {
      const f = await termFixture();
      await f.pool.setTime(f.startDate);
      await f.pool.connect(f.signers.originator).close();
      await f.pool.connect(f.signers.licensees[0]).payInstalment(f.licenceId, 0, cny(600_000));
      for (const end of f.periodEnds) {
        await f.pool.setTime(end);
        await f.pool.distribute();
      }
      return f;
    }

    it("marks an instalment due on the last period end defaulted 90 days later, and allocates its loss", async () => {
      const f = await loadFixture(closedFixture);
      const dueDate = f.periodEnds[1];
      await f.pool.setTime(dueDate + 90n * DAY - 1n);
      await expect(f.pool.markDefaulted(f.licenceId, 1))
        .to.be.revertedWithCustomError(f.pool, "InstalmentNotDefaultable")
        .withArgs(f.licenceId, 1, NOT_DEFAULTABLE.NotOverdueLongEnough);
      await f.pool.setTime(dueDate + 90n * DAY);
      // Period 1 collected 60,000,000 fen: interest 997,260, principal 59,002,740; the senior owes 40,997,260.
      // Period 2 collected nothing: interest 40,997,260 × 400 × 91 ÷ 3,650,000 = 408,849.0… → 408,849 in arrears.
      const senior = await f.pool.trancheOf(0);
      expect([senior.outstanding, senior.interestArrears]).to.deep.equal([40_997_260n, 408_849n]);
      // The 60,000,000 unpaid: 5,000,000 to the subordinated, 40,997,260 to the senior, 14,002,740 absorbed.
      await expect(f.pool.markDefaulted(f.licenceId, 1))
        .to.emit(f.pool, "InstalmentDefaulted")
        .withArgs(f.licenceId, 1, cny(600_000))
        .and.to.emit(f.pool, "LossAllocated")
        .withArgs(1, 5_000_000n)
        .and.to.emit(f.pool, "LossAllocated")
        .withArgs(0, 40_997_260n)
        .and.to.emit(f.pool, "LossAbsorbedByExcessReturn")
        .withArgs(f.licenceId, 1, 14_002_740n);
      expect(await f.pool.lossesDefaulted()).to.equal(cny(600_000));
      // The refusal names which of its three reasons applies: defaulted already, or (instalment 0) paid in full.
      await expect(f.pool.markDefaulted(f.licenceId, 1))
        .to.be.revertedWithCustomError(f.pool, "InstalmentNotDefaultable")
        .withArgs(f.licenceId, 1, NOT_DEFAULTABLE.AlreadyDefaulted);
      await expect(f.pool.markDefaulted(f.licenceId, 0))
        .to.be.revertedWithCustomError(f.pool, "InstalmentNotDefaultable")
        .withArgs(f.licenceId, 0, NOT_DEFAULTABLE.Paid);
    });

    it("lets only the originator wind up, once nothing is outstanding and no instalment is open", async () => {
      const f = await loadFixture(closedFixture);
      const { originator, outsider, licensees } = f.signers;
      await expect(f.pool.connect(outsider).windUp())
        .to.be.revertedWithCustomError(f.pool, "OnlyOriginator")
        .withArgs(outsider.address);
      await expect(f.pool.connect(originator).windUp())
        .to.be.revertedWithCustomError(f.pool, "TrancheOutstanding")
        .withArgs(0, 40_997_260n);
      // The licensee pays the last instalment; the next period (after the term) retires everything.
      await expect(f.pool.connect(licensees[0]).payInstalment(f.licenceId, 1, 0))
        .to.be.revertedWithCustomError(f.pool, "ZeroAmount")
        .withArgs(AMOUNT_FIELD.InstalmentPayment);
      await f.pool.connect(licensees[0]).payInstalment(f.licenceId, 1, cny(600_000));
      await f.pool.setTime(await f.pool.periodEndOf(2));
      await f.pool.distribute();
      expect((await f.pool.trancheOf(0)).outstanding).to.equal(0n);
      await expect(f.pool.connect(originator).windUp()).to.emit(f.pool, "PoolWoundUp");
      expect(await f.pool.status()).to.equal(3n);
      const books = await f.pool.reconcile();
      expect([books.collectionsAvailable, books.reserve, books.dust, books.unbooked, books.balanced]).to.deep.equal([
        0n,
        0n,
        0n,
        0n,
        true,
      ]);
      expect(books.trancheClaimable).to.equal(books.tokenBalance);
    });

    it("refuses the wind-up while an instalment is open, and sweeps cash sent directly into the final period", async () => {
      const f = await loadFixture(termFixture);
      const { originator, licensees, guarantor } = f.signers;
      await f.pool.setTime(f.startDate);
      await f.pool.connect(originator).close();
      // Instalment 0 defaults: 60,000,000 = subordinated 5,000,000 + senior 55,000,000 (45,000,000 left).
      await f.pool.setTime(f.periodEnds[0] - 15n * DAY + 90n * DAY);
      await f.pool.markDefaulted(f.licenceId, 0);
      // 50,000,000 of instalment 1 is paid early; period 1 pays interest 45,000,000 × 400 × 91 ÷ 3,650,000 = 448,767
      // and retires the senior's 45,000,000; the subordinated (written down to 0) gets 4,551,233 of excess return.
      await f.pool.connect(licensees[0]).payInstalment(f.licenceId, 1, 50_000_000n);
      await f.pool.distribute();
      expect([(await f.pool.trancheOf(0)).outstanding, (await f.pool.trancheOf(1)).outstanding]).to.deep.equal([
        0n,
        0n,
      ]);
      await expect(f.pool.connect(originator).windUp())
        .to.be.revertedWithCustomError(f.pool, "InstalmentOpen")
        .withArgs(f.licenceId, 1);
      await f.pool.connect(licensees[0]).payInstalment(f.licenceId, 1, 10_000_000n);
      await f.stablecoin.connect(guarantor).transfer(await f.pool.getAddress(), 777n);
      const dust = await f.pool.dust();
      const tx = f.pool.connect(originator).windUp();
      await expect(tx).to.emit(f.pool, "UnsolicitedBooked").withArgs(777n);
      // The final period (index 1) gives the subordinated everything: 10,000,000 + 777 + the dust account.
      await expect(tx)
        .to.emit(f.pool, "PoolWoundUp")
        .withArgs(1, 10_000_777n + dust);
      expect((await f.pool.reconcile()).unsolicited).to.equal(777n);
      await expect(f.pool.connect(licensees[0]).payInstalment(f.licenceId, 1, 1n))
        .to.be.revertedWithCustomError(f.pool, "PoolStatusInvalid")
        .withArgs(3);
    });
  });
});
