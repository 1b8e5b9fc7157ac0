/**
 * ReceivablePool issuance (SPEC §6 items 3, 5, 6, 7): subscription by identified investors, closing (proceeds to the
 * originator, reserve funded), cancellation and refunds, constructor validation, and a payment token that is not
 * money (fee on transfer). Money is in fen (1 CNY = 100 fen); every expected figure is worked out in the test. The
 * fixture's pool has a clock the test sets (ReceivablePoolHarness): deadlines are met by setting it, not the chain's.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { cny } from "../definitions/riskSchemes";
import type { PoolConfig } from "../scripts/lib/deployPool";
import { ReceivablePool__factory } from "../typechain-types";
import { DAY } from "./helpers/registryFixture";
import { AMOUNT_FIELD, calendar, deployLicensingFixture } from "./helpers/poolFixture";

const SENIOR_FACE = cny(300_000);
const SUB_FACE = cny(20_000);
const RESERVE = cny(10_000);
const TRANCHES = [
  { name: "Senior A", symbol: "LFR-A", face: SENIOR_FACE, couponBps: 400 },
  { name: "Subordinated", symbol: "LFR-B", face: SUB_FACE, couponBps: 0 },
];
enum Status {
  Subscription,
  Active,
  Cancelled,
}

/** A pool over one sub-licence (four quarterly instalments of 100,000 CNY), nobody subscribed yet. */
async function issuanceFixture() {
  const f = await deployLicensingFixture();
  const periodEnds = calendar(f.now + 40n * DAY, 4);
  const schedule = periodEnds.map((end) => ({ dueDate: end - 15n * DAY, amount: cny(100_000) }));
  const licenceId = await f.recordSubLicence(f.signers.licensees[0], schedule);
  const config = {
    receivables: [licenceId],
    startDate: f.now + 40n * DAY,
    periodEnds,
    reserveTarget: RESERVE,
    feePerPeriod: cny(1_000),
    guaranteeCap: cny(50_000),
    tranches: TRANCHES,
  };
  const { pool, tranches } = await f.createClockedPool(config);
  const [inv0, inv1, inv2] = f.signers.investors;
  const { originator } = f.signers;
  /** Senior: 200,000 by inv0 and 100,000 by inv1; the originator keeps the subordinated tranche. */
  const subscribeAll = async () => {
    await f.subscribe(pool, inv0, 0, cny(200_000));
    await f.subscribe(pool, inv1, 0, cny(100_000));
    await f.subscribe(pool, originator, 1, SUB_FACE);
  };
  const deadline = f.now + 30n * DAY;
  return {
    ...f,
    periodEnds,
    schedule,
    licenceId,
    config,
    pool,
    tranches,
    inv0,
    inv1,
    inv2,
    originator,
    deadline,
    subscribeAll,
  };
}

/** The full constructor config of the fixture's pool, to be spoiled one field at a time. */
async function fullConfig(f: Awaited<ReturnType<typeof issuanceFixture>>): Promise<PoolConfig> {
  return {
    paymentToken: await f.stablecoin.getAddress(),
    originator: f.originator.address,
    feeRecipient: f.signers.feeRecipient.address,
    guarantor: f.signers.guarantor.address,
    subscriptionDeadline: f.deadline,
    ...f.config,
  };
}

const deployRaw = async (f: Awaited<ReturnType<typeof issuanceFixture>>, config: PoolConfig, by: Signer) =>
  new ReceivablePool__factory(by).deploy(
    config,
    await f.licenceRegistry.getAddress(),
    await f.investorRegistry.getAddress(),
  );

describe("ReceivablePool — issuance", () => {
  describe("subscribe", () => {
    it("mints tranche tokens at face against the same amount of cash, held in escrow", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.stablecoin.connect(f.inv0).approve(await f.pool.getAddress(), cny(200_000));
      const tx = f.pool.connect(f.inv0).subscribe(0, cny(200_000));
      await expect(tx).to.emit(f.pool, "Subscribed").withArgs(0, f.inv0.address, cny(200_000));
      await expect(tx).to.changeTokenBalances(f.stablecoin, [f.inv0, f.pool], [-cny(200_000), cny(200_000)]);
      await expect(tx).to.changeTokenBalance(f.tranches[0], f.inv0, cny(200_000));
      const r = await f.pool.reconcile();
      expect([r.subscribed, r.escrow, r.balanced]).to.deep.equal([cny(200_000), cny(200_000), true]);
    });

    it("refuses an investor who is not identified (the tranche token says so)", async () => {
      const f = await loadFixture(issuanceFixture);
      const { unidentified } = f.signers;
      await f.stablecoin.mint(unidentified.address, cny(1_000));
      await f.stablecoin.connect(unidentified).approve(await f.pool.getAddress(), cny(1_000));
      await expect(f.pool.connect(unidentified).subscribe(0, cny(1_000)))
        .to.be.revertedWithCustomError(f.tranches[0], "HolderNotIdentified")
        .withArgs(unidentified.address);
    });

    it("refuses more than the tranche has left, naming what is available", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribe(f.pool, f.inv0, 0, cny(200_000));
      await f.stablecoin.connect(f.inv1).approve(await f.pool.getAddress(), cny(150_000));
      await expect(f.pool.connect(f.inv1).subscribe(0, cny(100_000) + 1n))
        .to.be.revertedWithCustomError(f.pool, "Oversubscribed")
        .withArgs(0, cny(100_000));
      await expect(f.pool.connect(f.inv1).subscribe(0, cny(100_000))).to.not.be.reverted;
    });

    it("accepts subscriptions up to the deadline and refuses them after it", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.stablecoin.connect(f.inv0).approve(await f.pool.getAddress(), cny(2));
      await f.pool.setTime(f.deadline);
      await expect(f.pool.connect(f.inv0).subscribe(0, cny(1))).to.not.be.reverted;
      await f.pool.setTime(f.deadline + 1n);
      await expect(f.pool.connect(f.inv0).subscribe(0, cny(1)))
        .to.be.revertedWithCustomError(f.pool, "SubscriptionClosed")
        .withArgs(f.deadline);
    });

    it("refuses a zero amount and an unknown tranche", async () => {
      const f = await loadFixture(issuanceFixture);
      await expect(f.pool.connect(f.inv0).subscribe(0, 0))
        .to.be.revertedWithCustomError(f.pool, "ZeroAmount")
        .withArgs(AMOUNT_FIELD.Subscription);
      await expect(f.pool.connect(f.inv0).subscribe(2, cny(1)))
        .to.be.revertedWithCustomError(f.pool, "TrancheUnknown")
        .withArgs(2);
    });

    it("refuses subscriptions once the pool is closed or cancelled", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await f.pool.connect(f.originator).close();
      await expect(f.pool.connect(f.inv0).subscribe(0, cny(1)))
        .to.be.revertedWithCustomError(f.pool, "PoolStatusInvalid")
        .withArgs(Status.Active);

      const g = await loadFixture(issuanceFixture);
      await g.pool.connect(g.originator).cancel();
      await expect(g.pool.connect(g.inv0).subscribe(0, cny(1)))
        .to.be.revertedWithCustomError(g.pool, "PoolStatusInvalid")
        .withArgs(Status.Cancelled);
    });
  });

  describe("close", () => {
    it("lets only the originator close", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await expect(f.pool.connect(f.inv0).close())
        .to.be.revertedWithCustomError(f.pool, "OnlyOriginator")
        .withArgs(f.inv0.address);
    });

    it("refuses to close while a tranche is not fully subscribed, naming the tranche", async () => {
      const f = await loadFixture(issuanceFixture);
      await expect(f.pool.connect(f.originator).close())
        .to.be.revertedWithCustomError(f.pool, "NotFullySubscribed")
        .withArgs(0);
      await f.subscribe(f.pool, f.inv0, 0, SENIOR_FACE);
      await f.subscribe(f.pool, f.originator, 1, SUB_FACE - 1n);
      await expect(f.pool.connect(f.originator).close())
        .to.be.revertedWithCustomError(f.pool, "NotFullySubscribed")
        .withArgs(1);
    });

    it("refuses to close over a receivable assigned to another pool", async () => {
      const f = await loadFixture(issuanceFixture);
      // A second pool over the same sub-licence: the licence registry already points the licence at the first.
      const rival = await deployRaw(f, await fullConfig(f), f.originator);
      await f.subscribe(rival, f.inv0, 0, SENIOR_FACE);
      await f.subscribe(rival, f.originator, 1, SUB_FACE);
      await expect(rival.connect(f.originator).close())
        .to.be.revertedWithCustomError(rival, "ReceivableNotAssigned")
        .withArgs(f.licenceId);
    });

    it("refuses to close over a receivable not assigned at all", async () => {
      const f = await loadFixture(issuanceFixture);
      const schedule = [{ dueDate: f.periodEnds[0] - DAY, amount: cny(50_000) }];
      const second = await f.recordSubLicence(f.signers.licensees[1], schedule);
      const config = { ...(await fullConfig(f)), receivables: [second] };
      const unassigned = await deployRaw(f, config, f.originator);
      await f.subscribe(unassigned, f.inv0, 0, SENIOR_FACE);
      await f.subscribe(unassigned, f.originator, 1, SUB_FACE);
      await expect(unassigned.connect(f.originator).close())
        .to.be.revertedWithCustomError(unassigned, "ReceivableNotAssigned")
        .withArgs(second);
    });

    it("pays total face less the reserve target to the originator and funds the reserve", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      // 300,000 + 20,000 subscribed; 10,000 stays as the reserve; 310,000 CNY is the originator's financing.
      const proceeds = cny(310_000);
      const tx = f.pool.connect(f.originator).close();
      await expect(tx).to.emit(f.pool, "PoolClosed").withArgs(proceeds, RESERVE);
      await expect(tx).to.changeTokenBalances(f.stablecoin, [f.originator, f.pool], [proceeds, -proceeds]);
      expect(await f.pool.status()).to.equal(Status.Active);
      expect(await f.pool.reserve()).to.equal(RESERVE);
      expect(await f.stablecoin.balanceOf(await f.pool.getAddress())).to.equal(RESERVE);
      const r = await f.pool.reconcile();
      expect([r.escrow, r.reserve, r.proceedsPaid, r.balanced]).to.deep.equal([0n, RESERVE, proceeds, true]);
    });

    it("refuses to close once the first period has ended", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await f.pool.setTime(f.periodEnds[0]);
      await expect(f.pool.connect(f.originator).close())
        .to.be.revertedWithCustomError(f.pool, "ClosingTooLate")
        .withArgs(f.periodEnds[0]);
    });
  });

  describe("cancel and refund", () => {
    it("lets the originator cancel at any time before closing", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await expect(f.pool.connect(f.originator).cancel()).to.emit(f.pool, "PoolCancelled").withArgs(f.originator);
      expect(await f.pool.status()).to.equal(Status.Cancelled);
    });

    it("lets anyone else cancel only after the subscription deadline", async () => {
      const f = await loadFixture(issuanceFixture);
      const { outsider } = f.signers;
      await expect(f.pool.connect(outsider).cancel())
        .to.be.revertedWithCustomError(f.pool, "OnlyOriginator")
        .withArgs(outsider.address);
      await f.pool.setTime(f.deadline);
      await expect(f.pool.connect(outsider).cancel()).to.be.revertedWithCustomError(f.pool, "OnlyOriginator");
      await f.pool.setTime(f.deadline + 1n);
      await expect(f.pool.connect(outsider).cancel()).to.emit(f.pool, "PoolCancelled").withArgs(outsider.address);
    });

    it("cannot cancel a closed pool", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await f.pool.connect(f.originator).close();
      await expect(f.pool.connect(f.originator).cancel())
        .to.be.revertedWithCustomError(f.pool, "PoolStatusInvalid")
        .withArgs(Status.Active);
    });

    it("refunds exactly what each holder paid, burns the tokens, and refuses a second refund", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await expect(f.pool.connect(f.inv0).refund(0))
        .to.be.revertedWithCustomError(f.pool, "PoolStatusInvalid")
        .withArgs(Status.Subscription);
      await f.pool.connect(f.originator).cancel();
      const paid: [Signer & { address: string }, number, bigint][] = [
        [f.inv0, 0, cny(200_000)],
        [f.inv1, 0, cny(100_000)],
        [f.originator, 1, SUB_FACE],
      ];
      for (const [holder, tranche, amount] of paid) {
        const tx = f.pool.connect(holder).refund(tranche);
        await expect(tx).to.emit(f.pool, "Refunded").withArgs(tranche, holder.address, amount);
        await expect(tx).to.changeTokenBalances(f.stablecoin, [holder, f.pool], [amount, -amount]);
        await expect(tx).to.changeTokenBalance(f.tranches[tranche], holder, -amount);
        await expect(f.pool.connect(holder).refund(tranche))
          .to.be.revertedWithCustomError(f.pool, "NothingToRefund")
          .withArgs(tranche, holder.address);
      }
      expect(await f.tranches[0].totalSupply()).to.equal(0n);
      expect(await f.stablecoin.balanceOf(await f.pool.getAddress())).to.equal(0n);
      const r = await f.pool.reconcile();
      expect([r.subscribed, r.refunded, r.escrow, r.balanced]).to.deep.equal([cny(320_000), cny(320_000), 0n, true]);
    });

    it("refunds the holder of the tokens, including one who received them by transfer", async () => {
      const f = await loadFixture(issuanceFixture);
      await f.subscribeAll();
      await f.tranches[0].connect(f.inv0).transfer(f.inv2.address, cny(50_000));
      await f.pool.connect(f.originator).cancel();
      await expect(f.pool.connect(f.inv2).refund(0)).to.changeTokenBalance(f.stablecoin, f.inv2, cny(50_000));
      await expect(f.pool.connect(f.inv0).refund(0)).to.changeTokenBalance(f.stablecoin, f.inv0, cny(150_000));
      expect((await f.pool.reconcile()).escrow).to.equal(cny(120_000)); // inv1's 100,000 and the originator's 20,000
    });
  });

  describe("constructor validation", () => {
    // PoolAddressField, in the contract's order.
    const Field = { PaymentToken: 0, Originator: 1, FeeRecipient: 2 };
    const zero = "0x0000000000000000000000000000000000000000";
    const TOTAL_FACE = SENIOR_FACE + SUB_FACE;
    type Spoil = (c: PoolConfig) => PoolConfig;
    /** What is spoilt, how, and the error that must name it with the offending values (worked out here). */
    const spoilt: [string, Spoil, string, (c: PoolConfig) => unknown[]][] = [
      ["no payment token", (c) => ({ ...c, paymentToken: zero }), "PoolAddressZero", () => [Field.PaymentToken]],
      ["no originator", (c) => ({ ...c, originator: zero }), "PoolAddressZero", () => [Field.Originator]],
      ["no fee recipient", (c) => ({ ...c, feeRecipient: zero }), "PoolAddressZero", () => [Field.FeeRecipient]],
      ["fewer than two tranches", (c) => ({ ...c, tranches: [c.tranches[0]] }), "TrancheCountInvalid", () => [1, 5]],
      [
        "more than five tranches",
        (c) => ({ ...c, tranches: [...Array(5).fill(c.tranches[0]), c.tranches[1]] }),
        "TrancheCountInvalid",
        () => [6, 5],
      ],
      ["no period end", (c) => ({ ...c, periodEnds: [] }), "PeriodCountInvalid", () => [0, 64]],
      [
        "more than 64 period ends",
        (c) => ({ ...c, periodEnds: calendar(BigInt(c.startDate), 65) }),
        "PeriodCountInvalid",
        () => [65, 64],
      ],
      ["no receivable", (c) => ({ ...c, receivables: [] }), "ReceivableCountInvalid", () => [0, 64]],
      [
        "more than 64 receivables",
        (c) => ({ ...c, receivables: Array.from({ length: 65 }, (_, k) => BigInt(k + 1)) }),
        "ReceivableCountInvalid",
        () => [65, 64],
      ],
      [
        "a subordinated tranche with a coupon",
        (c) => ({ ...c, tranches: [c.tranches[0], { ...c.tranches[1], couponBps: 1 }] }),
        "SubordinatedCouponNotZero",
        () => [1, 1],
      ],
      [
        "a start date on the first period end",
        (c) => ({ ...c, startDate: c.periodEnds[0] }),
        "StartDateNotBeforeFirstPeriodEnd",
        (c) => [c.periodEnds[0], c.periodEnds[0]],
      ],
      [
        "period ends out of order",
        (c) => ({ ...c, periodEnds: [c.periodEnds[1], c.periodEnds[0], c.periodEnds[2]] }),
        "PeriodEndsNotIncreasing",
        (c) => [1, c.periodEnds[1], c.periodEnds[0]],
      ],
      [
        "two equal period ends",
        (c) => ({ ...c, periodEnds: [c.periodEnds[0], c.periodEnds[0]] }),
        "PeriodEndsNotIncreasing",
        (c) => [1, c.periodEnds[0], c.periodEnds[0]],
      ],
      [
        "a duplicate receivable",
        (c) => ({ ...c, receivables: [c.receivables[0], c.receivables[0]] }),
        "ReceivableListedTwice",
        (c) => [c.receivables[0], 1],
      ],
      [
        "a reserve target above the total face",
        (c) => ({ ...c, reserveTarget: TOTAL_FACE + 1n }),
        "ReserveTargetAboveFace",
        () => [TOTAL_FACE + 1n, TOTAL_FACE],
      ],
      [
        "a tranche of zero face",
        (c) => ({ ...c, tranches: [c.tranches[0], { ...c.tranches[1], face: 0n }] }),
        "TrancheFaceZero",
        () => [1],
      ],
    ];
    for (const [what, spoil, error, args] of spoilt) {
      it(`refuses ${what}, naming the check and the offending values`, async () => {
        const f = await loadFixture(issuanceFixture);
        const factory = new ReceivablePool__factory(f.originator);
        const config = await fullConfig(f);
        await expect(deployRaw(f, spoil(config), f.originator))
          .to.be.revertedWithCustomError(factory, error)
          .withArgs(...args(config));
      });
    }

    it("accepts a reserve target equal to the total face", async () => {
      const f = await loadFixture(issuanceFixture);
      const config = { ...(await fullConfig(f)), reserveTarget: SENIOR_FACE + SUB_FACE };
      await expect(deployRaw(f, config, f.originator)).to.not.be.reverted;
    });
  });

  describe("a payment token that is not money", () => {
    /** The fixture's pool again, but paid in a token that burns 1 % of every transfer while its fee is on. */
    async function feeTokenFixture() {
      const f = await issuanceFixture();
      const coin = await (await ethers.getContractFactory("FeeOnTransferStablecoin")).deploy(2, 100);
      for (const payer of [f.inv0, f.originator, f.signers.licensees[0]])
        await coin.mint(payer.address, cny(1_000_000));
      const schedule = [{ dueDate: f.periodEnds[0] - DAY, amount: cny(100_000) }];
      const licenceId = await f.recordSubLicence(f.signers.licensees[1], schedule);
      const { pool } = await f.createPool({
        ...f.config,
        paymentToken: await coin.getAddress(),
        receivables: [licenceId],
      });
      for (const payer of [f.inv0, f.originator, f.signers.licensees[0]])
        await coin.connect(payer).approve(await pool.getAddress(), cny(1_000_000));
      return { ...f, coin, pool, licenceId };
    }

    it("refuses a subscription when the pool receives less than the amount", async () => {
      const f = await loadFixture(feeTokenFixture);
      // 1,000 CNY = 100,000 fen sent; 1 % (1,000 fen) burnt on the way; 99,000 fen arrive.
      await expect(f.pool.connect(f.inv0).subscribe(0, cny(1_000)))
        .to.be.revertedWithCustomError(f.pool, "PaymentNotExact")
        .withArgs(cny(1_000), cny(990));
    });

    it("refuses an instalment payment when the pool receives less than the amount", async () => {
      const f = await loadFixture(feeTokenFixture);
      await f.coin.setFeeBps(0);
      await f.pool.connect(f.inv0).subscribe(0, SENIOR_FACE);
      await f.pool.connect(f.originator).subscribe(1, SUB_FACE);
      await f.pool.connect(f.originator).close();
      await f.coin.setFeeBps(100);
      // 777.77 CNY = 77,777 fen; the fee is 777 fen (rounded down); 77,000 fen arrive.
      await expect(f.pool.connect(f.signers.licensees[0]).payInstalment(f.licenceId, 0, 77_777n))
        .to.be.revertedWithCustomError(f.pool, "PaymentNotExact")
        .withArgs(77_777n, 77_000n);
    });
  });
});
