/**
 * Two edges of the pool's books: late recoveries after the period calendar are distributed in periods as long as
 * the scheduled ones (one fee each, interest on whole days); and payment tokens sent to the pool directly are shown
 * as unbooked cash, never lost, until anyone books them into collections.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import { QUARTER, calendar, deployLicensingFixture } from "./helpers/poolFixture";

const DAY = 86_400n;

/** Two 91-day periods, fee 1,000.00 CNY a period, one licensee who pays nothing on schedule. */
async function twoPeriodPoolFixture() {
  const f = await deployLicensingFixture();
  const periodEnds = calendar(f.now + DAY, 2);
  const licenceId = await f.recordSubLicence(
    f.signers.licensees[0],
    periodEnds.map((end) => ({ dueDate: end - 15n * DAY, amount: cny(600_000) })),
  );
  const { pool } = await f.createPool({
    receivables: [licenceId],
    periodEnds,
    feePerPeriod: cny(1_000),
    tranches: [
      { name: "Senior", symbol: "A", face: cny(1_000_000), couponBps: 400 },
      { name: "Subordinated", symbol: "B", face: cny(50_000), couponBps: 0 },
    ],
  });
  await f.subscribe(pool, f.signers.investors[0], 0, cny(1_000_000));
  await f.subscribe(pool, f.signers.originator, 1, cny(50_000));
  await pool.connect(f.signers.originator).close();
  for (const k of [0, 1]) {
    await time.increaseTo(periodEnds[k]);
    await pool.distribute();
  }
  return { ...f, pool, periodEnds, licenceId };
}

describe("ReceivablePool — after the calendar, and cash sent directly", () => {
  it("keeps the rhythm of the last period after the calendar: one period, one fee", async () => {
    const f = await loadFixture(twoPeriodPoolFixture);
    // The last scheduled period ran from periodEnds[0] to periodEnds[1]: 91 days. The next ends 91 days later.
    const nextEnd = f.periodEnds[1] + QUARTER;
    expect(await f.pool.periodEndOf(2)).to.equal(nextEnd);
    expect(await f.pool.periodEndOf(3)).to.equal(nextEnd + QUARTER);
    await expect(f.pool.distribute()).to.be.revertedWithCustomError(f.pool, "PeriodNotEnded").withArgs(2n, nextEnd);

    await time.increaseTo(nextEnd);
    const feeArrearsBefore = await f.pool.feeArrears();
    await f.pool.distribute();
    // Nothing was collected: exactly one more period's fee (100,000 fen) is owed, not one per call.
    expect((await f.pool.feeArrears()) - feeArrearsBefore).to.equal(cny(1_000));
    await expect(f.pool.distribute()).to.be.revertedWithCustomError(f.pool, "PeriodNotEnded");
  });

  it("distributes a late recovery after the calendar like any collection", async () => {
    const f = await loadFixture(twoPeriodPoolFixture);
    const licensee = f.signers.licensees[0];
    await f.stablecoin.connect(licensee).approve(await f.pool.getAddress(), cny(600_000));
    await f.pool.connect(licensee).payInstalment(f.licenceId, 0, cny(600_000));
    await time.increaseTo(f.periodEnds[1] + QUARTER);
    await expect(f.pool.distribute()).to.emit(f.pool, "PeriodDistributed");
    expect((await f.pool.reconcile()).balanced).to.equal(true);
  });

  it("shows tokens sent to the pool directly as unbooked, keeps the books balanced, and books them on request", async () => {
    const f = await loadFixture(twoPeriodPoolFixture);
    await expect(f.pool.bookUnsolicited()).to.be.revertedWithCustomError(f.pool, "ZeroAmount");
    await f.stablecoin.connect(f.signers.guarantor).transfer(await f.pool.getAddress(), 12_345n);
    let books = await f.pool.reconcile();
    expect([books.unbooked, books.balanced]).to.deep.equal([12_345n, true]);

    const collectionsBefore = await f.pool.collectionsAvailable();
    await expect(f.pool.connect(f.signers.outsider).bookUnsolicited())
      .to.emit(f.pool, "UnsolicitedBooked")
      .withArgs(12_345n);
    books = await f.pool.reconcile();
    expect([books.unbooked, books.unsolicited, books.balanced]).to.deep.equal([0n, 12_345n, true]);
    expect((await f.pool.collectionsAvailable()) - collectionsBefore).to.equal(12_345n);
  });
});
