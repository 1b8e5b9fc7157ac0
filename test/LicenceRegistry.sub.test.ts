/**
 * Sub-licences and their receivables (SPEC §6 step 2): the originator sub-licenses its first licence's assets to a
 * licensee, with the licensee's consent, against an instalment schedule; it later assigns the receivables to one
 * pool.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { cny } from "../definitions/riskSchemes";
import { subLicenceGrantTypes, type Instalment } from "../definitions/licenceTypedData";
import { domainOf } from "../definitions/domains";
import { AssetStatus, DAY, FreezeKind, YEAR, docHash } from "./helpers/registryFixture";
import { QUARTER } from "./helpers/poolFixture";
import {
  NO_CONSENT,
  firstTermsFor,
  freshNonce,
  licenceFixture,
  quarterlySchedule,
  signFirstGrant,
  signSubGrant,
  subTermsFor,
  subTermsTuple,
  type LicenceFixture,
} from "./helpers/licensing";

const LicenceKind = { First: 0, Sub: 1 } as const;

/** Record the fixture's standard sub-licence to the first licensee; returns its id. */
async function recordedSubLicence(f: LicenceFixture) {
  const licensee = f.signers.licensees[0];
  const terms = subTermsFor(f, licensee.address);
  await f.licenceRegistry
    .connect(f.signers.originator)
    .recordSubLicence(terms, await signSubGrant(f.licenceRegistry, licensee, terms));
  return f.licenceRegistry.lastLicenceId();
}

describe("LicenceRegistry — sub-licences", () => {
  describe("recording", () => {
    it("records the sub-licence and its schedule with the licensee's relayed consent", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[0];
      const terms = subTermsFor(f, licensee.address);
      const consent = await signSubGrant(f.licenceRegistry, licensee, terms);
      const expectedId = f.firstLicenceId + 1n;
      const due = [1n, 2n, 3n, 4n].map((k) => f.now + k * 91n * DAY);

      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent))
        .to.emit(f.licenceRegistry, "SubLicenceRecorded")
        .withArgs(expectedId, f.firstLicenceId, licensee.address, subTermsTuple(terms));

      const licence = await f.licenceRegistry.licenceOf(expectedId);
      expect(licence.kind).to.equal(LicenceKind.Sub);
      expect([licence.exclusive, licence.subLicensable]).to.deep.equal([false, false]);
      expect(licence.assetCount).to.equal(2);
      expect(licence.instalmentCount).to.equal(4);
      expect([licence.startDate, licence.endDate]).to.deep.equal([f.now, f.now + 2n * YEAR]);
      expect(licence.licensor).to.equal(f.signers.originator.address);
      expect(licence.licensee).to.equal(licensee.address);
      expect(licence.firstLicenceId).to.equal(f.firstLicenceId);
      expect(licence.upfrontFee).to.equal(0n);
      expect(licence.contractHash).to.equal(docHash(`sub-licence to ${licensee.address}`));
      expect(await f.licenceRegistry.assetsOf(expectedId)).to.deep.equal(f.patents);
      expect(await f.licenceRegistry.scheduleOf(expectedId)).to.deep.equal(due.map((d) => [d, 25_000_000n]));
      expect(await f.licenceRegistry.instalmentOf(expectedId, 3)).to.deep.equal([due[3], 25_000_000n]);
      expect(await f.licenceRegistry.poolOf(expectedId)).to.equal(ethers.ZeroAddress);
      expect(await f.licenceRegistry.lastLicenceId()).to.equal(expectedId);
    });

    it("accepts a signature over Instalment[] built from definitions/licenceTypedData.ts, relayed by the originator", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[1];
      const terms = subTermsFor(f, licensee.address);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = domainOf("licenceRegistry", chainId, await f.licenceRegistry.getAddress());
      const nonce = freshNonce();
      const deadline = f.now + DAY;
      const signature = await licensee.signTypedData(domain, subLicenceGrantTypes, {
        ...terms,
        signer: licensee.address,
        nonce,
        deadline,
      });
      await expect(
        f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, { nonce, deadline, signature }),
      ).to.emit(f.licenceRegistry, "SubLicenceRecorded");
    });

    it("accepts 64 instalments, equal due dates, dues on the start and end dates, and the first licence's own term", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[2];
      const end = f.now + 6n * YEAR;
      const schedule: Instalment[] = [
        { dueDate: f.now, amount: 1n },
        ...Array.from({ length: 62 }, (_, k) => ({
          dueDate: f.now + BigInt(Math.floor(k / 2) + 1) * 30n * DAY,
          amount: cny(1),
        })),
        { dueDate: end, amount: 1n },
      ];
      const terms = subTermsFor(f, licensee.address, { schedule, endDate: end });
      const consent = await signSubGrant(f.licenceRegistry, licensee, terms);
      await f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent);
      expect(await f.licenceRegistry.scheduleOf(f.firstLicenceId + 1n)).to.have.lengthOf(64);
    });

    it("takes the consent of a sub-licensee sending the licence itself (the originator licensing to itself)", async () => {
      const f = await loadFixture(licenceFixture);
      const { originator } = f.signers;
      const terms = subTermsFor(f, originator.address);
      await expect(f.licenceRegistry.connect(originator).recordSubLicence(terms, NO_CONSENT))
        .to.emit(f.licenceRegistry, "SubLicenceRecorded")
        .withArgs(f.firstLicenceId + 1n, f.firstLicenceId, originator.address, subTermsTuple(terms));
    });

    it("refuses an instalment index beyond the schedule", async () => {
      const f = await loadFixture(licenceFixture);
      const subId = await recordedSubLicence(f);
      await expect(f.licenceRegistry.instalmentOf(subId, 4))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceNotFound")
        .withArgs(subId);
    });
  });

  describe("the first licence", () => {
    it("refuses a first licence that does not exist", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = subTermsFor(f, f.signers.licensees[0].address, { firstLicenceId: 99n });
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, NO_CONSENT))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceNotFound")
        .withArgs(99n);
    });

    it("refuses a sub-licence given as the first licence", async () => {
      const f = await loadFixture(licenceFixture);
      const subId = await recordedSubLicence(f);
      const terms = subTermsFor(f, f.signers.licensees[1].address, { firstLicenceId: subId });
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, NO_CONSENT))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceNotFound")
        .withArgs(subId);
    });

    it("refuses a sender who is not the first licence's licensee", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[0];
      const terms = subTermsFor(f, licensee.address);
      const consent = await signSubGrant(f.licenceRegistry, licensee, terms);
      await expect(f.licenceRegistry.connect(f.signers.patentee).recordSubLicence(terms, consent))
        .to.be.revertedWithCustomError(f.licenceRegistry, "NotLicensor")
        .withArgs(f.firstLicenceId, f.signers.patentee.address);
    });

    it("refuses to sub-license a first licence without sub-licence rights", async () => {
      const f = await loadFixture(licenceFixture);
      const firstTerms = firstTermsFor(f, { subLicensable: false });
      await f.licenceRegistry
        .connect(f.signers.originator)
        .recordFirstLicence(firstTerms, [await signFirstGrant(f.licenceRegistry, f.signers.patentee, firstTerms)]);
      const closedId = f.firstLicenceId + 1n;
      const terms = subTermsFor(f, f.signers.licensees[0].address, { firstLicenceId: closedId });
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, NO_CONSENT))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SubLicenceNotAllowed")
        .withArgs(closedId);
    });

    for (const [rule, dates] of [
      ["starting before the first licence", (now: bigint) => ({ startDate: now - 1n, endDate: now + YEAR })],
      ["ending after the first licence", (now: bigint) => ({ startDate: now, endDate: now + 6n * YEAR + 1n })],
    ] as const) {
      it(`refuses a sub-licence ${rule}`, async () => {
        const f = await loadFixture(licenceFixture);
        const terms = subTermsFor(f, f.signers.licensees[0].address, dates(f.now));
        await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, NO_CONSENT))
          .to.be.revertedWithCustomError(f.licenceRegistry, "SubLicenceNotAllowed")
          .withArgs(f.firstLicenceId);
      });
    }
  });

  describe("terms and schedule", () => {
    const cases: { rule: string; overrides: (f: LicenceFixture) => Parameters<typeof subTermsFor>[2] }[] = [
      { rule: "no instalment", overrides: () => ({ schedule: [] }) },
      {
        rule: "65 instalments",
        overrides: (f) => ({ schedule: Array(65).fill({ dueDate: f.now + QUARTER, amount: cny(1) }) }),
      },
      {
        rule: "an instalment of zero",
        overrides: (f) => ({ schedule: quarterlySchedule(f).map((i, k) => (k === 2 ? { ...i, amount: 0n } : i)) }),
      },
      { rule: "due dates out of order", overrides: (f) => ({ schedule: quarterlySchedule(f).reverse() }) },
      {
        rule: "an instalment due before the start",
        overrides: (f) => ({ startDate: f.now + DAY, schedule: [{ dueDate: f.now, amount: cny(1) }] }),
      },
      {
        rule: "an instalment due after the end",
        overrides: (f) => ({ endDate: f.now + QUARTER - 1n, schedule: [{ dueDate: f.now + QUARTER, amount: cny(1) }] }),
      },
      {
        rule: "a start on its end date",
        overrides: (f) => ({ endDate: f.now, schedule: [{ dueDate: f.now, amount: 1n }] }),
      },
      { rule: "no licensee", overrides: () => ({ licensee: ethers.ZeroAddress }) },
    ];
    for (const { rule, overrides } of cases) {
      it(`refuses a sub-licence with ${rule}`, async () => {
        const f = await loadFixture(licenceFixture);
        const licensee = f.signers.licensees[0];
        const terms = subTermsFor(f, licensee.address, overrides(f));
        const consent = await signSubGrant(f.licenceRegistry, licensee, terms);
        await expect(
          f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent),
        ).to.be.revertedWithCustomError(f.licenceRegistry, "LicenceTermsInvalid");
      });
    }
  });

  describe("the licensee's consent", () => {
    it("refuses a missing or foreign signature", async () => {
      const f = await loadFixture(licenceFixture);
      const [licensee, other] = f.signers.licensees;
      const terms = subTermsFor(f, licensee.address);
      for (const consent of [NO_CONSENT, await signSubGrant(f.licenceRegistry, other, terms)]) {
        await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent))
          .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
          .withArgs(licensee.address);
      }
    });

    it("refuses a consent signed over another schedule", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[0];
      const terms = subTermsFor(f, licensee.address);
      const consent = await signSubGrant(f.licenceRegistry, licensee, terms);
      const schedule = terms.schedule.map((i, k) => (k === 3 ? { ...i, amount: i.amount + 1n } : i));
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence({ ...terms, schedule }, consent))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
        .withArgs(licensee.address);
    });

    it("refuses a replayed consent", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[0];
      const terms = subTermsFor(f, licensee.address);
      const consent = await signSubGrant(f.licenceRegistry, licensee, terms);
      await f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent))
        .to.be.revertedWithCustomError(f.licenceRegistry, "NonceUsed")
        .withArgs(licensee.address, consent.nonce);
    });

    it("refuses a consent after its deadline", async () => {
      const f = await loadFixture(licenceFixture);
      const licensee = f.signers.licensees[0];
      const terms = subTermsFor(f, licensee.address);
      const deadline = f.now + DAY;
      const consent = await signSubGrant(f.licenceRegistry, licensee, terms, { deadline });
      await time.increaseTo(deadline + 1n);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent))
        .to.be.revertedWithCustomError(f.licenceRegistry, "DeadlinePassed")
        .withArgs(licensee.address, deadline);
    });
  });

  describe("asset standing when sub-licensing", () => {
    it("refuses to sub-license a patent frozen since the first licence (reason 5)", async () => {
      const f = await loadFixture(licenceFixture);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordFreeze(f.patents[1], FreezeKind.PreservationOrder, docHash("court order"));
      await expect(
        f.licenceRegistry
          .connect(f.signers.originator)
          .recordSubLicence(subTermsFor(f, f.signers.originator.address), NO_CONSENT),
      )
        .to.be.revertedWithCustomError(f.licenceRegistry, "AssetNotLicensable")
        .withArgs(f.patents[1], 5);
    });

    it("refuses to sub-license a patent lapsed since the first licence (reason 2)", async () => {
      const f = await loadFixture(licenceFixture);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordStatus(f.patents[0], AssetStatus.Lapsed, docHash("lapse"));
      await expect(
        f.licenceRegistry
          .connect(f.signers.originator)
          .recordSubLicence(subTermsFor(f, f.signers.originator.address), NO_CONSENT),
      )
        .to.be.revertedWithCustomError(f.licenceRegistry, "AssetNotLicensable")
        .withArgs(f.patents[0], 2);
    });

    it("refuses a sub-licence outlasting a patent whose expiry the registrar corrected", async () => {
      const f = await loadFixture(licenceFixture);
      const corrected = f.now + YEAR;
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordTerm(f.patents[1], f.now - YEAR, corrected, docHash("correction"));
      await expect(
        f.licenceRegistry
          .connect(f.signers.originator)
          .recordSubLicence(subTermsFor(f, f.signers.originator.address), NO_CONSENT),
      )
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceBeyondExpiry")
        .withArgs(f.patents[1], corrected);
    });
  });

  describe("assigning the receivables to a pool", () => {
    it("assigns a sub-licence's receivables to a pool once", async () => {
      const f = await loadFixture(licenceFixture);
      const subId = await recordedSubLicence(f);
      const pool = ethers.Wallet.createRandom().address;
      await expect(f.licenceRegistry.connect(f.signers.originator).assignToPool(subId, pool))
        .to.emit(f.licenceRegistry, "ReceivableAssigned")
        .withArgs(subId, pool);
      expect(await f.licenceRegistry.poolOf(subId)).to.equal(pool);

      const other = ethers.Wallet.createRandom().address;
      await expect(f.licenceRegistry.connect(f.signers.originator).assignToPool(subId, other))
        .to.be.revertedWithCustomError(f.licenceRegistry, "ReceivableAlreadyAssigned")
        .withArgs(subId, pool);
    });

    it("refuses anyone but the sub-licence's licensor", async () => {
      const f = await loadFixture(licenceFixture);
      const subId = await recordedSubLicence(f);
      for (const caller of [f.signers.patentee, f.signers.licensees[0]]) {
        await expect(f.licenceRegistry.connect(caller).assignToPool(subId, caller.address))
          .to.be.revertedWithCustomError(f.licenceRegistry, "NotLicensor")
          .withArgs(subId, caller.address);
      }
    });

    it("refuses a first licence or an unknown id", async () => {
      const f = await loadFixture(licenceFixture);
      for (const id of [f.firstLicenceId, 99n]) {
        await expect(f.licenceRegistry.connect(f.signers.originator).assignToPool(id, f.signers.outsider.address))
          .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceNotFound")
          .withArgs(id);
      }
    });

    it("refuses the zero address as the pool", async () => {
      const f = await loadFixture(licenceFixture);
      const subId = await recordedSubLicence(f);
      await expect(
        f.licenceRegistry.connect(f.signers.originator).assignToPool(subId, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.licenceRegistry, "LicenceTermsInvalid");
    });
  });

  describe("pause", () => {
    it("refuses sub-licences and assignments while paused", async () => {
      const f = await loadFixture(licenceFixture);
      const subId = await recordedSubLicence(f);
      await f.licenceRegistry.connect(f.signers.admin).pause();
      const terms = subTermsFor(f, f.signers.originator.address);
      await expect(
        f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, NO_CONSENT),
      ).to.be.revertedWithCustomError(f.licenceRegistry, "EnforcedPause");
      await expect(
        f.licenceRegistry.connect(f.signers.originator).assignToPool(subId, f.signers.outsider.address),
      ).to.be.revertedWithCustomError(f.licenceRegistry, "EnforcedPause");
    });
  });
});
