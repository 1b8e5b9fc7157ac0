/**
 * LossSharing: the five SPEC §4.3 risk-compensation schemes on worked examples, per-loan and per-borrower-per-year
 * caps (calendar year in China Standard Time), scheme administration and who may allocate.
 * Money is in fen (1 CNY = 100 fen). Every expected number is worked out by hand in the comment above it.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String } from "ethers";
import { deployRegistryFixture, DEBTOR } from "./helpers/registryFixture";
import { Roles } from "../definitions/roles";

const FUND = encodeBytes32String("fund");
const INSURER = encodeBytes32String("insurer");
const IP_FIRM = encodeBytes32String("ip-service-firm");
const OTHER_DEBTOR = encodeBytes32String("91310115MA1K4ABC3Q");

/** Seconds since the epoch of an ISO-8601 UTC instant. */
const at = (iso: string) => Date.parse(iso) / 1000;
const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

/** The production wiring, the clock set to mid-2030 (China Standard Time), and a signer holding PLEDGE_REGISTRY. */
async function lossSharingFixture() {
  const f = await deployRegistryFixture();
  const signers = await ethers.getSigners();
  const registryStandIn = signers[10]; // stands in for the PledgeRegistry contract
  await f.accessManager.connect(f.signers.admin).grantRole(Roles.PLEDGE_REGISTRY, registryStandIn.address, 0);
  await time.increaseTo(at("2030-06-15T02:00:00Z"));
  return { ...f, registryStandIn, asRegistry: f.lossSharing.connect(registryStandIn) };
}
type Fixture = Awaited<ReturnType<typeof lossSharingFixture>>;

interface ExpectedSplit {
  partyNames: string[];
  shares: bigint[];
  bankShare: bigint;
  year: number;
}

/** Allocates and checks the events (every one, in order), the recorded allocation and conservation. */
async function allocateAndExpect(
  f: Fixture,
  schemeId: bigint,
  pledgeId: bigint,
  debtor: string,
  loss: bigint,
  expected: ExpectedSplit,
) {
  // The hand-worked numbers must themselves add up before they can judge the contract.
  expect(sum(expected.shares) + expected.bankShare, "expected split adds up to the loss").to.equal(loss);

  const tx = f.asRegistry.allocate(schemeId, pledgeId, debtor, loss);
  await expect(tx)
    .to.emit(f.lossSharing, "LossAllocated")
    .withArgs(pledgeId, schemeId, debtor, loss, expected.bankShare);
  const receipt = await (await tx).wait();
  const shareEvents = receipt!.logs
    .map((log) => f.lossSharing.interface.parseLog(log))
    .filter((parsed) => parsed?.name === "LossShareRecorded")
    .map((parsed) => [...parsed!.args]);
  expect(shareEvents).to.deep.equal(
    expected.shares.map((amount, i) => [pledgeId, schemeId, BigInt(i), expected.partyNames[i], amount]),
  );

  const allocation = await f.lossSharing.allocationOf(pledgeId);
  expect(allocation.schemeId).to.equal(schemeId);
  expect(allocation.year).to.equal(expected.year);
  expect(allocation.debtor).to.equal(debtor);
  expect(allocation.loss).to.equal(loss);
  expect(allocation.bankShare).to.equal(expected.bankShare);
  expect([...allocation.partyShares]).to.deep.equal(expected.shares);
}

describe("LossSharing", () => {
  // The examples are dated 2030; start from a fresh chain so that no earlier test file has moved the clock past them.
  before(async () => reset());

  describe("the SPEC schemes on worked examples", () => {
    it("splits a Zhongshan loss fund 54 %, insurer 16 %, IP firm 4 %, bank 26 %", async () => {
      const f = await loadFixture(lossSharingFixture);
      // 10,000,000.00 CNY = 1,000,000,000 fen. Fund 1e9 × 5400 / 10000 = 540,000,000; insurer × 1600 = 160,000,000;
      // IP firm × 400 = 40,000,000; bank 1,000,000,000 − 740,000,000 = 260,000,000 (26 %).
      const loss = 1_000_000_000n;
      expect(await f.asRegistry.allocate.staticCall(f.schemeIds.zhongshan, 1n, DEBTOR, loss)).to.equal(260_000_000n);
      await allocateAndExpect(f, f.schemeIds.zhongshan, 1n, DEBTOR, loss, {
        partyNames: [FUND, INSURER, IP_FIRM],
        shares: [540_000_000n, 160_000_000n, 40_000_000n],
        bankShare: 260_000_000n,
        year: 2030,
      });
    });

    it("gives the Zhongshan rounding dust of an odd-fen loss to the bank", async () => {
      const f = await loadFixture(lossSharingFixture);
      // 1,234,567.89 CNY = 123,456,789 fen.
      // fund    123,456,789 × 5400 / 10000 = 66,666,666.06 → 66,666,666
      // insurer 123,456,789 × 1600 / 10000 = 19,753,086.24 → 19,753,086
      // IP firm 123,456,789 ×  400 / 10000 =  4,938,271.56 →  4,938,271
      // bank    123,456,789 − 91,358,023 = 32,098,766 = its nominal 32,098,765.14 + 0.86, i.e. 1 fen of dust
      await allocateAndExpect(f, f.schemeIds.zhongshan, 2n, DEBTOR, 123_456_789n, {
        partyNames: [FUND, INSURER, IP_FIRM],
        shares: [66_666_666n, 19_753_086n, 4_938_271n],
        bankShare: 32_098_766n,
        year: 2030,
      });
    });

    it("caps the Guangzhou 55 fund at 5,000,000 CNY per loan", async () => {
      const f = await loadFixture(lossSharingFixture);
      // 12,000,000 CNY = 1,200,000,000 fen; fund 50 % = 600,000,000 > cap 500,000,000 → 500,000,000;
      // bank 1,200,000,000 − 500,000,000 = 700,000,000.
      await allocateAndExpect(f, f.schemeIds["guangzhou-55"], 3n, DEBTOR, 1_200_000_000n, {
        partyNames: [FUND],
        shares: [500_000_000n],
        bankShare: 700_000_000n,
        year: 2030,
      });
    });

    it("cuts a Guangzhou 55 fund share one fen above the per-loan cap by exactly that fen", async () => {
      const f = await loadFixture(lossSharingFixture);
      // 10,000,000.02 CNY = 1,000,000,002 fen; fund 50 % = 500,000,001 > 500,000,000 → 500,000,000; bank 500,000,002.
      await allocateAndExpect(f, f.schemeIds["guangzhou-55"], 4n, DEBTOR, 1_000_000_002n, {
        partyNames: [FUND],
        shares: [500_000_000n],
        bankShare: 500_000_002n,
        year: 2030,
      });
    });

    it("splits a Guangzhou 541 loss fund 50 %, insurer 40 %, bank 10 % plus the dust", async () => {
      const f = await loadFixture(lossSharingFixture);
      // 3,000,000.05 CNY = 300,000,005 fen. Fund × 5000 / 10000 = 150,000,002.5 → 150,000,002;
      // insurer × 4000 / 10000 = 120,000,002 exactly; bank 300,000,005 − 270,000,004 = 30,000,001 (nominal 30,000,000.5).
      await allocateAndExpect(f, f.schemeIds["guangzhou-541"], 5n, DEBTOR, 300_000_005n, {
        partyNames: [FUND, INSURER],
        shares: [150_000_002n, 120_000_002n],
        bankShare: 30_000_001n,
        year: 2030,
      });
    });

    it("splits a Zhuhai loss bank 60 %, fund 40 %", async () => {
      const f = await loadFixture(lossSharingFixture);
      // 777,777.77 CNY = 77,777,777 fen. Fund × 4000 / 10000 = 31,111,110.8 → 31,111,110;
      // bank 77,777,777 − 31,111,110 = 46,666,667 (nominal 46,666,666.2).
      await allocateAndExpect(f, f.schemeIds.zhuhai, 6n, DEBTOR, 77_777_777n, {
        partyNames: [FUND],
        shares: [31_111_110n],
        bankShare: 46_666_667n,
        year: 2030,
      });
    });

    it("caps the Shenzhen fund at 2,000,000 CNY per loan, with no yearly limit", async () => {
      const f = await loadFixture(lossSharingFixture);
      const shenzhen = f.schemeIds.shenzhen;
      // 6,000,000 CNY = 600,000,000 fen; fund 50 % = 300,000,000 > cap 200,000,000 → 200,000,000; bank 400,000,000.
      // The same debtor's second such loan in the same year is capped the same way: the scheme has no yearly cap.
      for (const pledgeId of [7n, 8n]) {
        await allocateAndExpect(f, shenzhen, pledgeId, DEBTOR, 600_000_000n, {
          partyNames: [FUND],
          shares: [200_000_000n],
          bankShare: 400_000_000n,
          year: 2030,
        });
      }
      // Nothing is counted against a yearly cap the scheme does not have.
      expect(await f.lossSharing.usedThisYear(shenzhen, 0, DEBTOR, 2030)).to.equal(0n);
      // 3,999,999.99 CNY = 399,999,999 fen; fund 50 % = 199,999,999.5 → 199,999,999, just under the cap;
      // bank 399,999,999 − 199,999,999 = 200,000,000.
      await allocateAndExpect(f, shenzhen, 9n, DEBTOR, 399_999_999n, {
        partyNames: [FUND],
        shares: [199_999_999n],
        bankShare: 200_000_000n,
        year: 2030,
      });
    });
  });

  describe("the Guangzhou 55 cap of 10,000,000 CNY per borrower per calendar year (UTC+8)", () => {
    it("is used up across one debtor's loans, spares another debtor and opens again at New Year in China", async () => {
      const f = await loadFixture(lossSharingFixture);
      const gz55 = f.schemeIds["guangzhou-55"];
      const used = (debtor: string, year: number) => f.lossSharing.usedThisYear(gz55, 0, debtor, year);
      const fund = (shares: bigint, bankShare: bigint, year: number) => ({
        partyNames: [FUND],
        shares: [shares],
        bankShare,
        year,
      });

      // Loan 1, June 2030: 8,000,000 CNY = 800,000,000 fen; fund 50 % = 400,000,000 (under both caps); bank 400,000,000.
      await allocateAndExpect(f, gz55, 101n, DEBTOR, 800_000_000n, fund(400_000_000n, 400_000_000n, 2030));
      expect(await used(DEBTOR, 2030)).to.equal(400_000_000n);

      // Loan 2, September 2030: 12,000,000 CNY; 50 % = 600,000,000 → per-loan cap 500,000,000 (yearly room 600,000,000);
      // bank 700,000,000; used 400,000,000 + 500,000,000 = 900,000,000.
      await time.increaseTo(at("2030-09-01T04:00:00Z"));
      await allocateAndExpect(f, gz55, 102n, DEBTOR, 1_200_000_000n, fund(500_000_000n, 700_000_000n, 2030));
      expect(await used(DEBTOR, 2030)).to.equal(900_000_000n);

      // Loan 3, the last seconds of 2030 in China: 6,000,000 CNY; 50 % = 300,000,000 but only
      // 1,000,000,000 − 900,000,000 = 100,000,000 of the year is left → fund 100,000,000; bank 500,000,000.
      await time.setNextBlockTimestamp(at("2030-12-31T15:59:57Z"));
      await allocateAndExpect(f, gz55, 103n, DEBTOR, 600_000_000n, fund(100_000_000n, 500_000_000n, 2030));
      expect(await used(DEBTOR, 2030)).to.equal(1_000_000_000n);

      // Loan 4, same year: 2,000,000 CNY; the yearly cap is used up → fund 0; the bank bears all 200,000,000.
      await time.setNextBlockTimestamp(at("2030-12-31T15:59:58Z"));
      await allocateAndExpect(f, gz55, 104n, DEBTOR, 200_000_000n, fund(0n, 200_000_000n, 2030));
      expect(await used(DEBTOR, 2030)).to.equal(1_000_000_000n);

      // Another debtor, same year: 4,000,000 CNY; fund 50 % = 200,000,000 untouched by the first debtor's cap.
      await time.setNextBlockTimestamp(at("2030-12-31T15:59:59Z"));
      await allocateAndExpect(f, gz55, 105n, OTHER_DEBTOR, 400_000_000n, fund(200_000_000n, 200_000_000n, 2030));
      expect(await used(OTHER_DEBTOR, 2030)).to.equal(200_000_000n);

      // 2030-12-31T16:00:00Z is midnight 1 January 2031 in China (still 2030 in UTC): a new yearly cap.
      // 8,000,000 CNY; fund 50 % = 400,000,000; bank 400,000,000.
      await time.setNextBlockTimestamp(at("2030-12-31T16:00:00Z"));
      await allocateAndExpect(f, gz55, 106n, DEBTOR, 800_000_000n, fund(400_000_000n, 400_000_000n, 2031));
      expect(await used(DEBTOR, 2031)).to.equal(400_000_000n);
      expect(await used(DEBTOR, 2030)).to.equal(1_000_000_000n);
    });
  });

  describe("createScheme", () => {
    const party = (name: string, shareBps: number, perLoanCap = 0n, perBorrowerYearCap = 0n) => ({
      name: encodeBytes32String(name),
      shareBps,
      perLoanCap,
      perBorrowerYearCap,
    });
    const SCHEME_NAME = encodeBytes32String("Foshan test");

    it("records the five SPEC schemes with their shares and caps", async () => {
      const f = await loadFixture(lossSharingFixture);
      const partiesOf = async (key: string) =>
        (await f.lossSharing.schemeOf(f.schemeIds[key])).parties.map((p) => [
          p.name,
          p.shareBps,
          p.perLoanCap,
          p.perBorrowerYearCap,
        ]);
      // Caps in fen: 5,000,000 CNY = 500,000,000; 10,000,000 CNY = 1,000,000,000; 2,000,000 CNY = 200,000,000; 0 = none.
      expect(await partiesOf("zhongshan")).to.deep.equal([
        [FUND, 5400n, 0n, 0n],
        [INSURER, 1600n, 0n, 0n],
        [IP_FIRM, 400n, 0n, 0n],
      ]);
      expect(await partiesOf("guangzhou-55")).to.deep.equal([[FUND, 5000n, 500_000_000n, 1_000_000_000n]]);
      expect(await partiesOf("guangzhou-541")).to.deep.equal([
        [FUND, 5000n, 0n, 0n],
        [INSURER, 4000n, 0n, 0n],
      ]);
      expect(await partiesOf("zhuhai")).to.deep.equal([[FUND, 4000n, 0n, 0n]]);
      expect(await partiesOf("shenzhen")).to.deep.equal([[FUND, 5000n, 200_000_000n, 0n]]);
    });

    it("creates an active scheme of 8 parties whose shares add up to exactly 10,000 bps", async () => {
      const f = await loadFixture(lossSharingFixture);
      const parties = Array.from({ length: 8 }, (_, i) => party(`party-${i}`, 1250, BigInt(i), 0n));
      const lossSharing = f.lossSharing.connect(f.signers.admin);
      // Five SPEC schemes exist, so the next id is 6.
      expect(await lossSharing.createScheme.staticCall(SCHEME_NAME, parties)).to.equal(6n);
      await expect(lossSharing.createScheme(SCHEME_NAME, parties))
        .to.emit(lossSharing, "SchemeCreated")
        .withArgs(
          6n,
          SCHEME_NAME,
          parties.map((p) => [p.name, p.shareBps, p.perLoanCap, p.perBorrowerYearCap]),
        );
      const { scheme, parties: stored } = await lossSharing.schemeOf(6);
      expect([scheme.name, scheme.active, scheme.partyCount]).to.deep.equal([SCHEME_NAME, true, 8n]);
      expect(stored.map((p) => [p.name, p.shareBps, p.perLoanCap])).to.deep.equal(
        parties.map((p) => [p.name, 1250n, p.perLoanCap]),
      );
      expect(await lossSharing.isActive(6)).to.equal(true);
    });

    it("refuses a scheme without parties", async () => {
      const f = await loadFixture(lossSharingFixture);
      await expect(f.lossSharing.connect(f.signers.admin).createScheme(SCHEME_NAME, []))
        .to.be.revertedWithCustomError(f.lossSharing, "SchemePartiesInvalid")
        .withArgs(0, 0);
    });

    it("refuses a scheme of 9 parties", async () => {
      const f = await loadFixture(lossSharingFixture);
      const parties = Array.from({ length: 9 }, (_, i) => party(`party-${i}`, 100));
      await expect(f.lossSharing.connect(f.signers.admin).createScheme(SCHEME_NAME, parties))
        .to.be.revertedWithCustomError(f.lossSharing, "SchemePartiesInvalid")
        .withArgs(9, 900);
    });

    it("refuses shares adding up to more than 10,000 bps", async () => {
      const f = await loadFixture(lossSharingFixture);
      await expect(
        f.lossSharing.connect(f.signers.admin).createScheme(SCHEME_NAME, [party("fund", 5000), party("insurer", 5001)]),
      )
        .to.be.revertedWithCustomError(f.lossSharing, "SchemePartiesInvalid")
        .withArgs(2, 10_001);
    });

    it("is reserved to the admin", async () => {
      const f = await loadFixture(lossSharingFixture);
      for (const caller of [f.signers.outsider, f.signers.registrar, f.registryStandIn]) {
        await expect(f.lossSharing.connect(caller).createScheme(SCHEME_NAME, [party("fund", 5000)]))
          .to.be.revertedWithCustomError(f.lossSharing, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });

  describe("retireScheme", () => {
    it("deactivates the scheme and leaves the others active", async () => {
      const f = await loadFixture(lossSharingFixture);
      const zhuhai = f.schemeIds.zhuhai;
      await expect(f.lossSharing.connect(f.signers.admin).retireScheme(zhuhai))
        .to.emit(f.lossSharing, "SchemeRetired")
        .withArgs(zhuhai);
      expect(await f.lossSharing.isActive(zhuhai)).to.equal(false);
      expect(await f.lossSharing.isActive(f.schemeIds.shenzhen)).to.equal(true);
    });

    it("refuses a retired, never-created or zero scheme id", async () => {
      const f = await loadFixture(lossSharingFixture);
      const lossSharing = f.lossSharing.connect(f.signers.admin);
      const zhuhai = f.schemeIds.zhuhai;
      await lossSharing.retireScheme(zhuhai);
      for (const schemeId of [zhuhai, 99n, 0n]) {
        await expect(lossSharing.retireScheme(schemeId))
          .to.be.revertedWithCustomError(lossSharing, "SchemeUnknown")
          .withArgs(schemeId);
      }
    });

    it("is reserved to the admin", async () => {
      const f = await loadFixture(lossSharingFixture);
      await expect(f.lossSharing.connect(f.signers.outsider).retireScheme(f.schemeIds.zhuhai))
        .to.be.revertedWithCustomError(f.lossSharing, "AccessManagedUnauthorized")
        .withArgs(f.signers.outsider.address);
    });
  });

  describe("allocate", () => {
    it("is reserved to the pledge registry role, not even the admin or the registrar", async () => {
      const f = await loadFixture(lossSharingFixture);
      const { admin, registrar, outsider } = f.signers;
      for (const caller of [admin, registrar, outsider]) {
        await expect(f.lossSharing.connect(caller).allocate(f.schemeIds.zhuhai, 1n, DEBTOR, 100n))
          .to.be.revertedWithCustomError(f.lossSharing, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });

    it("refuses a second allocation for the same pledge and keeps the first", async () => {
      const f = await loadFixture(lossSharingFixture);
      // Zhuhai, 100,000 fen: fund 40,000, bank 60,000.
      await f.asRegistry.allocate(f.schemeIds.zhuhai, 42n, DEBTOR, 100_000n);
      for (const schemeId of [f.schemeIds.zhuhai, f.schemeIds.zhongshan]) {
        await expect(f.asRegistry.allocate(schemeId, 42n, DEBTOR, 500_000n))
          .to.be.revertedWithCustomError(f.lossSharing, "LossAlreadyAllocated")
          .withArgs(42n);
      }
      const allocation = await f.lossSharing.allocationOf(42n);
      expect([allocation.schemeId, allocation.loss, allocation.bankShare]).to.deep.equal([
        f.schemeIds.zhuhai,
        100_000n,
        60_000n,
      ]);
    });

    it("records a loss of zero as a split of zeros, the one split record of that disposal (SPEC §4.3)", async () => {
      const f = await loadFixture(lossSharingFixture);
      // Guangzhou 541, loss 0: fund 0, insurer 0, bank 0.
      await allocateAndExpect(f, f.schemeIds["guangzhou-541"], 45n, DEBTOR, 0n, {
        partyNames: [FUND, INSURER],
        shares: [0n, 0n],
        bankShare: 0n,
        year: 2030,
      });
      await expect(f.asRegistry.allocate(f.schemeIds["guangzhou-541"], 45n, DEBTOR, 1_000n))
        .to.be.revertedWithCustomError(f.lossSharing, "LossAlreadyAllocated")
        .withArgs(45n);
    });

    it("still allocates under a retired scheme", async () => {
      const f = await loadFixture(lossSharingFixture);
      await f.lossSharing.connect(f.signers.admin).retireScheme(f.schemeIds.zhuhai);
      // 1,000,000 fen: fund 40 % = 400,000; bank 600,000.
      await allocateAndExpect(f, f.schemeIds.zhuhai, 43n, DEBTOR, 1_000_000n, {
        partyNames: [FUND],
        shares: [400_000n],
        bankShare: 600_000n,
        year: 2030,
      });
    });

    it("refuses a scheme that was never created", async () => {
      const f = await loadFixture(lossSharingFixture);
      for (const schemeId of [99n, 0n]) {
        await expect(f.asRegistry.allocate(schemeId, 44n, DEBTOR, 1_000n))
          .to.be.revertedWithCustomError(f.lossSharing, "SchemeUnknown")
          .withArgs(schemeId);
      }
    });
  });
});
