/**
 * ReceivablePool properties (SPEC §6 items 5 and 7): random lives of small pools — instalments paid in part, on time
 * or late; periods distributed; tranche tokens moved between identified holders; claims; defaults; guarantor calls
 * paid, the guarantor's authorisation changed, the pool closed before or after its start date — checked after every
 * step against the contract's own reconciliation AND an independent ledger and waterfall model
 * (test/helpers/poolModel.ts): conservation to the unit, per-holder accruals, dust, transfers that neither lose nor
 * duplicate a claim, and losses that add up to the defaulted amounts. Every life ends by settling every instalment
 * (paid or defaulted), distributing until nothing is outstanding and winding the pool up: nothing stays behind but
 * the holders' own rounding.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { AbiCoder, MaxUint256, Wallet, keccak256, id as keccakText, type Log } from "ethers";
import { DAY, docHash } from "./helpers/registryFixture";
import { NOT_DEFAULTABLE, calendar, deployLicensingFixture } from "./helpers/poolFixture";
import { PoolModel, type ModelReport } from "./helpers/poolModel";
import { booksOf, reportValues } from "./helpers/poolScenario";

const INSTALMENTS = [6_111_113n, 3_333_337n]; // per period, licence 0 and licence 1 (odd amounts, for rounding)
const SHAPES = [1, 2].flatMap((licences) =>
  [4, 5, 6].flatMap((periods) => [2, 3].map((tranches) => ({ licences, periods, tranches }))),
);
const keyOf = (s: { licences: number; periods: number; tranches: number }) =>
  `${s.licences}/${s.periods}/${s.tranches}`;
const REPORT = AbiCoder.defaultAbiCoder();
const BOOKS_TYPE =
  "tuple(uint256 subscribed,uint256 collected,uint256 guarantorPaid,uint256 unsolicited,uint256 proceedsPaid," +
  "uint256 feesPaid,uint256 claimsPaid,uint256 refunded,uint256 escrow,uint256 collectionsAvailable,uint256 reserve," +
  "uint256 trancheClaimable,uint256 dust,uint256 tokenBalance,uint256 unbooked,bool balanced)";
const REPORT_TYPE =
  "tuple(uint256 period,uint40 startDate,uint40 endDate,uint40 distributedAt,uint256 collections," +
  "uint256 reserveDrawn,uint256 guarantorCalled,uint256 guarantorPaid,uint256 feesPaid,uint256[] interestPaid," +
  "uint256[] principalPaid,uint256 reserveReleased,uint256 reserveToppedUp,uint256 subordinatedPaid,uint256 dust," +
  `uint256 reserveAfter,uint256 feeArrearsAfter,uint256[] interestArrearsAfter,uint256[] outstandingAfter,${BOOKS_TYPE} books)`;
const WOUND_UP = 3; // PoolStatus.WoundUp

/**
 * One unsubscribed pool per shape (1–2 licences × 4–6 quarterly periods × 2–3 tranches), with faces, reserve, fee
 * and guarantee cap as odd fractions of the receivables, and five identified holders and the payers approved.
 */
async function propertiesFixture() {
  const f = await deployLicensingFixture();
  const holders = f.signers.investors; // five identified investors
  const closeAt = f.now + 40n * DAY;
  const pools = new Map<string, Awaited<ReturnType<typeof build>>>();
  const build = async (shape: (typeof SHAPES)[number]) => {
    const periodEnds = calendar(closeAt, shape.periods);
    const licences = INSTALMENTS.slice(0, shape.licences);
    const schedules = licences.map((amount) => periodEnds.map((end) => ({ dueDate: end - 15n * DAY, amount })));
    const licenceIds: bigint[] = [];
    for (const [l, schedule] of schedules.entries())
      licenceIds.push(await f.recordSubLicence(f.signers.licensees[l], schedule));
    const total = BigInt(shape.periods) * licences.reduce((a, b) => a + b, 0n);
    const faces =
      shape.tranches === 2
        ? [(total * 45n) / 100n + 7n, (total * 10n) / 100n + 3n]
        : [(total * 25n) / 100n + 7n, (total * 20n) / 100n + 11n, (total * 10n) / 100n + 3n];
    const couponsBps = shape.tranches === 2 ? [437n, 0n] : [437n, 611n, 0n];
    const model = {
      faces,
      couponsBps,
      feePerPeriod: total / 300n + 1n,
      reserveTarget: total / 100n + 1n,
      guaranteeCap: (total * 5n) / 100n,
      startDate: closeAt,
      periodEnds,
    };
    const { pool, tranches } = await f.createPool({
      receivables: licenceIds,
      periodEnds,
      feePerPeriod: model.feePerPeriod,
      reserveTarget: model.reserveTarget,
      guaranteeCap: model.guaranteeCap,
      startDate: model.startDate,
      tranches: faces.map((face, i) => ({ name: `T${i}`, symbol: `T${i}`, face, couponBps: Number(couponsBps[i]) })),
    });
    // The guarantor's authorisation is part of each life (see the "authorise" action).
    for (const payer of [...holders, ...f.signers.licensees.slice(0, 2)])
      await f.stablecoin.connect(payer).approve(await pool.getAddress(), MaxUint256);
    return { pool, tranches, licenceIds, schedules, model };
  };
  for (const shape of SHAPES) pools.set(keyOf(shape), await build(shape));
  return { ...f, holders, closeAt, pools };
}
type Fixture = Awaited<ReturnType<typeof propertiesFixture>>;

const permille = fc.integer({ min: 1, max: 1000 });
/** Half the payments settle the instalment in full, so that lives reach the subordinated tranche. */
const paidPermille = fc.oneof(fc.constant(1000), permille);
const action = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("pay" as const),
      licence: fc.nat(1),
      index: fc.nat(5),
      permille: paidPermille,
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("distribute" as const), lateDays: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 120 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      tranche: fc.nat(2),
      from: fc.nat(4),
      to: fc.nat(4),
      permille,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("claim" as const), tranche: fc.nat(2), holder: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("default" as const), licence: fc.nat(1), index: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("guarantor" as const), call: fc.nat(9), permille }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("authorise" as const),
      allowance: fc.oneof(fc.constant(0n), fc.constant(MaxUint256), fc.bigInt({ min: 1n, max: 2_000_000n })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("windUp" as const) }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;
const life = fc.record({
  shape: fc.constantFrom(...SHAPES),
  holderCount: fc.integer({ min: 2, max: 5 }),
  weights: fc.array(fc.array(fc.nat(9), { minLength: 5, maxLength: 5 }), { minLength: 3, maxLength: 3 }),
  actions: fc.array(action, { minLength: 12, maxLength: 32 }),
  /** Closing up to 5 days before the start date or 20 days after it: the calendar does not move. */
  closeOffset: fc.integer({ min: -5 * 86_400, max: 20 * 86_400 }),
  /** The guarantor's authorisation at closing (the "authorise" action changes it). */
  allowance: fc.oneof(fc.constant(0n), fc.constant(MaxUint256)),
});

type Life = typeof life extends fc.Arbitrary<infer L> ? L : never;

/** What the lives went through, so that the test fails if the paths it is meant to check are never taken. */
const tally = { lives: 0, woundUp: 0, pulled: 0, unpaidCalls: 0, seniorWrittenDown: 0, absorbed: 0 };

/** A pool's life driven step by step, with the test's own ledger of cash in and out. */
async function runLife(f: Fixture, { shape, holderCount, weights, actions, closeOffset, allowance }: Life) {
  const { pool, tranches, licenceIds, schedules, model: config } = f.pools.get(keyOf(shape))!;
  const { stablecoin } = f;
  const { originator, feeRecipient, guarantor, licensees } = f.signers;
  const holders = f.holders.slice(0, holderCount);
  const model = new PoolModel(config);
  const subIndex = tranches.length - 1;
  const ledger = {
    subscribed: 0n,
    collected: 0n,
    guarantorPaid: 0n,
    proceeds: 0n,
    fees: 0n,
    claims: 0n,
    defaulted: 0n,
  };
  const claimed = tranches.map(() => new Map<string, bigint>());
  const dustOf = tranches.map(() => 0n);
  const instalments = schedules.map((s) => s.map(() => ({ paid: 0n, defaulted: false })));
  const nextSecond = async () => {
    const t = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(t);
    return t;
  };

  // Subscription: each tranche split among the holders by weight, the remainder to the first weighted holder.
  for (const [i, face] of config.faces.entries()) {
    const w = weights[i].slice(0, holderCount);
    if (!w.some((x) => x > 0)) w[0] = 1;
    const sum = BigInt(w.reduce((a, b) => a + b, 0));
    const amounts = w.map((x) => (face * BigInt(x)) / sum);
    amounts[w.findIndex((x) => x > 0)] += face - amounts.reduce((a, b) => a + b, 0n);
    for (const [j, amount] of amounts.entries()) {
      if (amount === 0n) continue;
      await pool.connect(holders[j]).subscribe(i, amount);
      model.move(i, null, holders[j].address, amount);
      ledger.subscribed += amount;
    }
  }
  const originatorBefore = await stablecoin.balanceOf(originator.address);
  await time.setNextBlockTimestamp(f.closeAt + BigInt(closeOffset));
  await pool.connect(originator).close();
  model.close();
  await stablecoin.connect(guarantor).approve(await pool.getAddress(), allowance);
  model.guarantorAllowance = allowance;
  ledger.proceeds = (await stablecoin.balanceOf(originator.address)) - originatorBefore;
  expect(ledger.proceeds, "proceeds = total face − reserve target").to.equal(
    config.faces.reduce((a, b) => a + b, 0n) - config.reserveTarget,
  );

  const checkBooks = async (when: string) => {
    const [r, held, feeArrears, called, calls] = await Promise.all([
      pool.reconcile(),
      stablecoin.balanceOf(await pool.getAddress()),
      pool.feeArrears(),
      pool.guaranteeCalled(),
      pool.guarantorCallCount(),
    ]);
    expect(r.balanced, `reconcile() after ${when}`).to.equal(true);
    const cashIn = ledger.subscribed + ledger.collected + ledger.guarantorPaid;
    const cashOut = ledger.proceeds + ledger.fees + ledger.claims;
    expect(cashIn - cashOut, `own ledger after ${when}`).to.equal(held);
    expect([
      r.subscribed,
      r.collected,
      r.guarantorPaid,
      r.proceedsPaid,
      r.feesPaid,
      r.claimsPaid,
      r.refunded,
    ]).to.deep.equal([
      ledger.subscribed,
      ledger.collected,
      ledger.guarantorPaid,
      ledger.proceeds,
      ledger.fees,
      ledger.claims,
      0n,
    ]);
    expect([r.collectionsAvailable, r.reserve, r.dust, feeArrears, called, calls]).to.deep.equal([
      model.collections,
      model.reserve,
      dustOf.reduce((a, b) => a + b, 0n),
      model.feeArrears,
      model.guaranteeCalled,
      BigInt(model.calls.length),
    ]);
    // Losses add up: every defaulted unit is allocated to a tranche or absorbed by excess return.
    const [defaulted, absorbed, status] = await Promise.all([
      pool.lossesDefaulted(),
      pool.lossesAbsorbed(),
      pool.status(),
    ]);
    expect([defaulted, absorbed], `losses after ${when}`).to.deep.equal([model.lossesDefaulted, model.lossesAbsorbed]);
    expect(defaulted, "Σ defaulted = the ledger's unpaid amounts").to.equal(ledger.defaulted);
    expect(
      model.lossesAllocated.reduce((a, b) => a + b, absorbed),
      "allocations add up",
    ).to.equal(defaulted);
    expect(status === BigInt(WOUND_UP)).to.equal(model.woundUp);
    if (model.woundUp) {
      expect(
        [r.escrow, r.collectionsAvailable, r.reserve, r.dust, r.unbooked],
        "nothing left but claims",
      ).to.deep.equal([0n, 0n, 0n, 0n, 0n]);
      expect(r.trancheClaimable).to.equal(r.tokenBalance);
    }
    for (const [i, token] of tranches.entries()) {
      const [t, credited, accrued, claimable] = await Promise.all([
        pool.trancheOf(i),
        token.totalCredited(),
        Promise.all(holders.map((h) => token.accumulatedOf(h.address))),
        Promise.all(holders.map((h) => token.claimableOf(h.address))),
      ]);
      const accruedSum = accrued.reduce((a, b) => a + b, 0n);
      const claimedSum = [...claimed[i].values()].reduce((a, b) => a + b, 0n);
      expect(accruedSum, `Σ accumulatedOf ≤ totalCredited, tranche ${i}`).to.be.lte(credited);
      expect(credited - accruedSum, `residue < holders, tranche ${i}`).to.be.lt(BigInt(holderCount));
      expect(credited + dustOf[i], `credited + dust = paid, tranche ${i}`).to.equal(model.paidTo[i]);
      expect(dustOf[i], `dust of tranche ${i}`).to.be.lte(1n);
      expect(t.claimable).to.equal(credited - claimedSum);
      expect([t.outstanding, t.interestArrears, t.writtenDown]).to.deep.equal([
        model.outstanding[i],
        model.interestArrears[i],
        model.writtenDown[i],
      ]);
      expect(t.writtenDown, `written down = allocated, tranche ${i}`).to.equal(model.lossesAllocated[i]);
      for (const [j, h] of holders.entries()) {
        const share = model.shareOf(i, h.address);
        expect(accrued[j], `accrual of holder ${j}, tranche ${i}`).to.be.within(share > 0n ? share - 1n : 0n, share);
        expect(claimable[j]).to.equal(accrued[j] - (claimed[i].get(h.address) ?? 0n));
      }
    }
  };

  const checkReport = async (logs: readonly Log[], expected: ModelReport, at: bigint) => {
    const poolAddress = await pool.getAddress();
    let dust = 0n;
    for (const log of logs) {
      const i = tranches.findIndex((t) => t.target === log.address);
      if (i < 0) continue;
      const parsed = tranches[i].interface.parseLog(log);
      if (parsed?.name !== "TrancheDistributed") continue;
      const lost = BigInt(parsed.args.amount) - BigInt(parsed.args.credited);
      dustOf[i] += lost;
      dust += lost;
    }
    const event = logs
      .filter((log) => log.address === poolAddress)
      .map((log) => pool.interface.parseLog(log))
      .find((parsed) => parsed?.name === "PeriodDistributed")!;
    const report = event.args.report;
    // The books the report carries are the pool's reconcile() right after the distribution (which checkBooks holds
    // against the test's own ledger).
    const books = booksOf(await pool.reconcile());
    expect(reportValues(report), `report of period ${expected.period}`).to.deep.equal({
      ...expected,
      distributedAt: at,
      dust,
      books,
    });
    expect(event.args.digest).to.equal(keccak256(REPORT.encode([REPORT_TYPE], [report])));
    expect(await pool.periodDigestOf(expected.period)).to.equal(event.args.digest);
  };

  const step = async (a: Action) => {
    switch (a.kind) {
      case "pay": {
        const l = a.licence % licenceIds.length;
        const { dueDate, amount: due } = schedules[l][a.index % shape.periods];
        const index = a.index % shape.periods;
        const record = instalments[l][index];
        const payer = pool.connect(licensees[l]);
        if (model.woundUp) {
          await expect(payer.payInstalment(licenceIds[l], index, 1n))
            .to.be.revertedWithCustomError(pool, "PoolStatusInvalid")
            .withArgs(WOUND_UP);
          return;
        }
        if (record.paid === due) {
          await expect(payer.payInstalment(licenceIds[l], index, 1n))
            .to.be.revertedWithCustomError(pool, "InstalmentOverpaid")
            .withArgs(licenceIds[l], index, due);
          return;
        }
        const remaining = due - record.paid;
        const amount = (remaining * BigInt(a.permille)) / 1000n || 1n;
        const t = await nextSecond();
        const paying = payer.payInstalment(licenceIds[l], index, amount);
        await expect(paying)
          .to.emit(pool, "InstalmentPaid")
          .withArgs(licenceIds[l], index, licensees[l].address, amount, t > dueDate, record.defaulted);
        if (record.defaulted)
          await expect(paying).to.emit(pool, "RecoveryReceived").withArgs(licenceIds[l], index, amount);
        else await expect(paying).to.not.emit(pool, "RecoveryReceived");
        record.paid += amount;
        model.collections += amount;
        ledger.collected += amount;
        return;
      }
      case "wait":
        await time.increase(BigInt(a.days) * DAY);
        return;
      case "distribute": {
        if (model.woundUp) {
          await expect(pool.distribute()).to.be.revertedWithCustomError(pool, "PoolStatusInvalid").withArgs(WOUND_UP);
          return;
        }
        const { end } = model.nextPeriod();
        const latest = BigInt(await time.latest());
        const base = end > latest ? end : latest + 1n;
        const at = base + BigInt(a.lateDays) * DAY;
        await time.setNextBlockTimestamp(at);
        const feesBefore = await stablecoin.balanceOf(feeRecipient.address);
        const receipt = await (await pool.distribute()).wait();
        const expected = model.distribute();
        ledger.guarantorPaid += expected.guarantorPaid;
        const fees = (await stablecoin.balanceOf(feeRecipient.address)) - feesBefore;
        expect(fees, "fees paid to the fee recipient").to.equal(expected.feesPaid);
        ledger.fees += fees;
        await checkReport(receipt!.logs, expected, at);
        return;
      }
      case "transfer": {
        const i = a.tranche % tranches.length;
        const [from, to] = [holders[a.from % holderCount], holders[a.to % holderCount]];
        const balance = await tranches[i].balanceOf(from.address);
        const amount = (balance * BigInt(a.permille)) / 1000n;
        if (amount === 0n) return;
        const accrued = () => Promise.all(holders.map((h) => tranches[i].accumulatedOf(h.address)));
        const before = await accrued();
        await tranches[i].connect(from).transfer(to.address, amount);
        model.move(i, from.address, to.address, amount);
        expect(await accrued(), "a transfer moves no accrued claim").to.deep.equal(before);
        return;
      }
      case "claim": {
        const i = a.tranche % tranches.length;
        const holder = holders[a.holder % holderCount];
        const claimable = await tranches[i].claimableOf(holder.address);
        if (claimable > 0n) {
          const before = await stablecoin.balanceOf(holder.address);
          await expect(pool.connect(holder).claim(i)).to.emit(pool, "Claimed").withArgs(i, holder.address, claimable);
          const paid = (await stablecoin.balanceOf(holder.address)) - before;
          expect(paid).to.equal(claimable);
          ledger.claims += paid;
          claimed[i].set(holder.address, (claimed[i].get(holder.address) ?? 0n) + paid);
        }
        await expect(pool.connect(holder).claim(i))
          .to.be.revertedWithCustomError(pool, "NothingToClaim")
          .withArgs(i, holder.address);
        return;
      }
      case "default": {
        const l = a.licence % licenceIds.length;
        const index = a.index % shape.periods;
        const { dueDate, amount: due } = schedules[l][index];
        const record = instalments[l][index];
        const t = await nextSecond();
        const call = pool.markDefaulted(licenceIds[l], index);
        if (model.woundUp) {
          await expect(call).to.be.revertedWithCustomError(pool, "PoolStatusInvalid").withArgs(WOUND_UP);
          return;
        }
        if (record.defaulted || record.paid === due || t < dueDate + 90n * DAY) {
          // The first reason that applies, in the contract's order: defaulted already, paid in full, too early.
          const reason = record.defaulted
            ? NOT_DEFAULTABLE.AlreadyDefaulted
            : record.paid === due
              ? NOT_DEFAULTABLE.Paid
              : NOT_DEFAULTABLE.NotOverdueLongEnough;
          await expect(call)
            .to.be.revertedWithCustomError(pool, "InstalmentNotDefaultable")
            .withArgs(licenceIds[l], index, reason);
          return;
        }
        const unpaid = due - record.paid;
        const { allocated, absorbed } = model.allocateLoss(unpaid);
        const receipt = (await (await call).wait())!;
        const events = receipt.logs.map((log) => pool.interface.parseLog(log)).filter((e) => e !== null);
        const named = (name: string) => events.filter((e) => e.name === name).map((e) => [...e.args]);
        expect(named("InstalmentDefaulted")).to.deep.equal([[licenceIds[l], BigInt(index), unpaid]]);
        // The subordinated first, then the senior classes from the lowest priority up; zero allocations are silent.
        const expectedAllocations = allocated
          .map((amount, i) => [BigInt(i), amount])
          .filter(([, amount]) => amount !== 0n)
          .reverse();
        expect(named("LossAllocated"), "allocations in order").to.deep.equal(expectedAllocations);
        expect(named("LossAbsorbedByExcessReturn")).to.deep.equal(
          absorbed === 0n ? [] : [[licenceIds[l], BigInt(index), absorbed]],
        );
        record.defaulted = true;
        ledger.defaulted += unpaid;
        return;
      }
      case "authorise": {
        await stablecoin.connect(guarantor).approve(await pool.getAddress(), a.allowance);
        model.guarantorAllowance = a.allowance;
        return;
      }
      case "windUp": {
        const call = () => pool.connect(originator).windUp();
        const open = instalments.flatMap((records, l) =>
          records.map((r, k) => ({ l, k, open: !r.defaulted && r.paid < schedules[l][k].amount })),
        );
        const outstanding = model.outstanding.findIndex((x) => x !== 0n);
        const firstOpen = open.find((x) => x.open);
        if (model.woundUp) {
          await expect(call()).to.be.revertedWithCustomError(pool, "PoolStatusInvalid").withArgs(WOUND_UP);
        } else if (outstanding >= 0) {
          await expect(call())
            .to.be.revertedWithCustomError(pool, "TrancheOutstanding")
            .withArgs(outstanding, model.outstanding[outstanding]);
        } else if (firstOpen) {
          await expect(call())
            .to.be.revertedWithCustomError(pool, "InstalmentOpen")
            .withArgs(licenceIds[firstOpen.l], firstOpen.k);
        } else {
          const at = await nextSecond();
          const feesBefore = await stablecoin.balanceOf(feeRecipient.address);
          const receipt = (await (await call()).wait())!;
          // The dust account goes to the subordinated holders: it leaves the tranches whose rounding left it.
          const dust = dustOf.reduce((x, y) => x + y, 0n);
          dustOf.forEach((d, i) => {
            model.paidTo[i] -= d;
            dustOf[i] = 0n;
          });
          const expected = model.windUp(at, dust, 0n);
          const fees = (await stablecoin.balanceOf(feeRecipient.address)) - feesBefore;
          expect(fees, "fee arrears paid at wind-up").to.equal(expected.feesPaid);
          ledger.fees += fees;
          await checkReport(receipt.logs, expected, at);
          expect(dustOf, "the wind-up credits to the unit").to.deep.equal(dustOf.map(() => 0n));
          await expect(receipt).to.emit(pool, "PoolWoundUp").withArgs(expected.period, expected.subordinatedPaid);
          await expect(pool.bookUnsolicited()).to.be.revertedWithCustomError(pool, "PoolStatusInvalid");
        }
        return;
      }
      case "guarantor": {
        const open = model.calls.map((c, id) => ({ ...c, id })).filter((c) => c.paid < c.amount);
        if (model.woundUp) {
          await expect(pool.connect(guarantor).payGuarantorCall(0, 1n)).to.be.revertedWithCustomError(
            pool,
            "PoolStatusInvalid",
          );
          return;
        }
        if (open.length === 0) {
          const id = model.calls.length === 0 ? 0 : a.call % model.calls.length;
          const refused = expect(pool.connect(guarantor).payGuarantorCall(id, 1n));
          if (model.calls.length === 0)
            await refused.to.be.revertedWithCustomError(pool, "GuarantorCallUnknown").withArgs(0);
          else await refused.to.be.revertedWithCustomError(pool, "GuarantorCallOverpaid").withArgs(id, 0);
          return;
        }
        const c = open[a.call % open.length];
        const amount = ((c.amount - c.paid) * BigInt(a.permille)) / 1000n || 1n;
        // Paying later takes the amount on top of whatever authorisation the guarantor keeps for future calls.
        const allowance = await stablecoin.allowance(guarantor.address, await pool.getAddress());
        if (allowance !== MaxUint256)
          await stablecoin.connect(guarantor).approve(await pool.getAddress(), allowance + amount);
        await expect(pool.connect(guarantor).payGuarantorCall(c.id, amount))
          .to.emit(pool, "GuarantorPaid")
          .withArgs(c.id, guarantor.address, amount);
        model.payCall(c.id, amount);
        ledger.guarantorPaid += amount;
        expect((await pool.guarantorCallOf(c.id)).paid).to.equal(model.calls[c.id].paid);
        return;
      }
    }
  };

  await checkBooks("closing");
  for (const [n, a] of actions.entries()) {
    await step(a);
    await checkBooks(`step ${n} (${a.kind})`);
  }

  // Epilogue: settle every instalment (alternately paid in full or defaulted, 90 days after the last due date),
  // distribute until nothing is outstanding, wind up, and let every holder claim.
  if (!model.woundUp) {
    const lastDue = schedules.flatMap((s) => s.map((x) => x.dueDate)).reduce((a, b) => (a > b ? a : b));
    const latest = BigInt(await time.latest());
    if (latest < lastDue + 90n * DAY) await time.increaseTo(lastDue + 90n * DAY);
    for (const [l, records] of instalments.entries()) {
      for (const [k, record] of records.entries()) {
        if (record.defaulted || record.paid === schedules[l][k].amount) continue;
        const settle: Action =
          (l + k) % 2 === 0
            ? { kind: "pay", licence: l, index: k, permille: 1000 }
            : { kind: "default", licence: l, index: k };
        await step(settle);
        await checkBooks(`settling ${l}/${k}`);
      }
    }
    for (let n = 0; n < 8 && !model.windable; n++) {
      await step({ kind: "distribute", lateDays: 0 });
      await checkBooks(`epilogue distribution ${n}`);
    }
    await step({ kind: "windUp" });
    await checkBooks("wind-up");
  }
  tally.lives += 1;
  if (model.woundUp) tally.woundUp += 1;
  if (model.guarantorPulled > 0n) tally.pulled += 1;
  if (model.calls.some((c) => c.paid < c.amount)) tally.unpaidCalls += 1;
  if (model.lossesAllocated.slice(0, -1).some((x) => x > 0n)) tally.seniorWrittenDown += 1;
  if (model.lossesAbsorbed > 0n) tally.absorbed += 1;
  if (model.woundUp) {
    for (const [i, token] of tranches.entries()) {
      for (const [h, holder] of holders.entries()) {
        if ((await token.claimableOf(holder.address)) > 0n) await step({ kind: "claim", tranche: i, holder: h });
      }
    }
    await checkBooks("every claim after the wind-up");
    // What stays is only the holders' own rounding: per tranche, what was credited but no holder's floor reaches.
    let residue = 0n;
    for (const token of tranches) {
      const accrued = await Promise.all(holders.map((h) => token.accumulatedOf(h.address)));
      residue += (await token.totalCredited()) - accrued.reduce((a, b) => a + b, 0n);
    }
    expect(await stablecoin.balanceOf(await pool.getAddress()), "left after wind-up and claims").to.equal(residue);
    expect(residue).to.be.lt(BigInt(holderCount * tranches.length));
  }
}

describe("ReceivablePool — properties", () => {
  it("keeps the books balanced, accruals pro rata and transfers neutral through random pool lives", async () => {
    await fc.assert(
      fc.asyncProperty(life, async (l) => runLife(await loadFixture(propertiesFixture), l)),
      { numRuns: 25 },
    );
    // Most lives end wound up; some pull the guarantor's money, some leave a call unpaid, some write a senior down.
    expect(tally.woundUp, JSON.stringify(tally)).to.be.gte(tally.lives / 2);
    for (const path of ["pulled", "unpaidCalls", "seniorWrittenDown"] as const)
      expect(tally[path], `${path}: ${JSON.stringify(tally)}`).to.be.gt(0);
  });

  describe("distribution cost", () => {
    /** Period 0 of the 1-licence, 4-period, 2-tranche pool, its senior tranche spread over `count` holders. */
    async function distributeAmong(count: number) {
      const f = await loadFixture(propertiesFixture);
      const { pool, tranches, licenceIds, schedules, model } = f.pools.get("1/4/2")!;
      const [first, second] = f.holders;
      await pool.connect(first).subscribe(0, model.faces[0]);
      await pool.connect(second).subscribe(1, model.faces[1]);
      await time.setNextBlockTimestamp(f.closeAt);
      await pool.connect(f.signers.originator).close();
      await pool.connect(f.signers.licensees[0]).payInstalment(licenceIds[0], 0, schedules[0][0].amount);
      for (let k = 1; k < count; k++) {
        const holder = new Wallet(keccakText(`senior holder ${k}`)).address;
        await f.investorRegistry.connect(f.signers.registrar).identify(holder, docHash(`kyc ${holder}`));
        await tranches[0].connect(first).transfer(holder, model.faces[0] / BigInt(count));
      }
      await time.setNextBlockTimestamp(model.periodEnds[0]);
      const receipt = await (await pool.distribute()).wait();
      return { gas: receipt!.gasUsed, digest: await pool.periodDigestOf(0) };
    }

    it("costs the same gas with one holder and with fifty holders of the senior tranche", async () => {
      const alone = await distributeAmong(1);
      const crowd = await distributeAmong(50);
      expect(crowd.digest, "the same waterfall").to.equal(alone.digest);
      expect(crowd.gas).to.equal(alone.gas);
    });
  });
});
