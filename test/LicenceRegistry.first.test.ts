/**
 * First licences (SPEC §6 step 1): the patentee grants an originator a licence of its assets. The originator sends
 * it, every holder of every asset consents (EIP-712 signature relayed, or the holder sending it itself), and only
 * granted, in-force, fee-paid, unfrozen assets can be licensed, never beyond their expiry.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Roles } from "../definitions/roles";
import { firstLicenceGrantTypes } from "../definitions/licenceTypedData";
import { domainOf } from "../definitions/domains";
import { AssetKind, AssetStatus, DAY, FreezeKind, YEAR, docHash } from "./helpers/registryFixture";
import {
  NO_CONSENT,
  firstTermsFor,
  firstTermsTuple,
  freshNonce,
  licenceFixture,
  signFirstGrant,
  type LicenceFixture,
} from "./helpers/licensing";

const LicenceKind = { First: 0, Sub: 1 } as const;
const NotLicensable = { NotInForce: 2, NotGranted: 3, FeeUnpaid: 4, Frozen: 5 } as const;

describe("LicenceRegistry — first licences", () => {
  describe("recording", () => {
    it("records the licence the originator sends with the patentee's relayed consent", async () => {
      const f = await loadFixture(licenceFixture);
      const { patentee, originator } = f.signers;
      const terms = firstTermsFor(f);
      const consent = await signFirstGrant(f.licenceRegistry, patentee, terms);
      const expectedId = f.firstLicenceId + 1n;

      await expect(f.licenceRegistry.connect(originator).recordFirstLicence(terms, [consent]))
        .to.emit(f.licenceRegistry, "FirstLicenceRecorded")
        .withArgs(expectedId, originator.address, [patentee.address], firstTermsTuple(terms));

      expect(await f.licenceRegistry.lastLicenceId()).to.equal(expectedId);
      const licence = await f.licenceRegistry.licenceOf(expectedId);
      expect(licence.kind).to.equal(LicenceKind.First);
      expect([licence.exclusive, licence.subLicensable]).to.deep.equal([true, true]);
      expect([licence.assetCount, licence.instalmentCount]).to.deep.equal([1n, 0n]);
      expect([licence.startDate, licence.endDate]).to.deep.equal([f.now, f.now + 5n * YEAR]);
      expect([licence.licensor, licence.licensee]).to.deep.equal([patentee.address, originator.address]);
      expect(licence.firstLicenceId).to.equal(0n);
      expect(licence.upfrontFee).to.equal(500_000_000n); // 5,000,000 CNY in fen
      expect(licence.contractHash).to.equal(docHash("first licence of ZL202310000003.3"));
      expect(await f.licenceRegistry.assetsOf(expectedId)).to.deep.equal([f.assets.soloPatent]);
      expect(await f.licenceRegistry.scheduleOf(expectedId)).to.deep.equal([]);
      expect(await f.licenceRegistry.isNonceUsed(patentee.address, consent.nonce)).to.equal(true);
    });

    it("accepts a signature built from definitions/licenceTypedData.ts, relayed by someone other than the signer", async () => {
      const f = await loadFixture(licenceFixture);
      const { patentee, originator } = f.signers;
      const terms = firstTermsFor(f);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = domainOf("licenceRegistry", chainId, await f.licenceRegistry.getAddress());
      const nonce = freshNonce();
      const deadline = f.now + DAY;
      const signature = await patentee.signTypedData(domain, firstLicenceGrantTypes, {
        ...terms,
        signer: patentee.address,
        nonce,
        deadline,
      });

      await expect(
        f.licenceRegistry.connect(originator).recordFirstLicence(terms, [{ nonce, deadline, signature }]),
      ).to.emit(f.licenceRegistry, "FirstLicenceRecorded");
    });

    it("needs the consent of both co-owners of a co-owned patent", async () => {
      const f = await loadFixture(licenceFixture);
      const { patentee, coOwner, originator } = f.signers;
      const terms = firstTermsFor(f, {
        assetIds: [f.assets.coOwnedPatent],
        licensors: [patentee.address, coOwner.address],
      });
      const patenteeConsent = await signFirstGrant(f.licenceRegistry, patentee, terms);

      await expect(f.licenceRegistry.connect(originator).recordFirstLicence(terms, [patenteeConsent, NO_CONSENT]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
        .withArgs(coOwner.address);

      const consents = [patenteeConsent, await signFirstGrant(f.licenceRegistry, coOwner, terms)];
      await expect(f.licenceRegistry.connect(originator).recordFirstLicence(terms, consents))
        .to.emit(f.licenceRegistry, "FirstLicenceRecorded")
        .withArgs(
          f.firstLicenceId + 1n,
          originator.address,
          [patentee.address, coOwner.address],
          firstTermsTuple(terms),
        );
    });

    it("takes the consent of a holder who sends the licence itself (an originator co-owning the patent)", async () => {
      const f = await loadFixture(licenceFixture);
      const { patentee, originator } = f.signers;
      const shared = await f.recordPatent("ZL202310000005.5", [
        { holder: originator.address, shareBps: 5_000 },
        { holder: patentee.address, shareBps: 5_000 },
      ]);
      const terms = firstTermsFor(f, { assetIds: [shared], licensors: [originator.address, patentee.address] });
      const consents = [NO_CONSENT, await signFirstGrant(f.licenceRegistry, patentee, terms)];

      await expect(f.licenceRegistry.connect(originator).recordFirstLicence(terms, consents)).to.emit(
        f.licenceRegistry,
        "FirstLicenceRecorded",
      );
      expect((await f.licenceRegistry.licenceOf(f.firstLicenceId + 1n)).licensor).to.equal(originator.address);
    });

    it("accepts a licence ending on the asset's expiry date", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f, { endDate: f.expiryDate });
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent])).to.emit(
        f.licenceRegistry,
        "FirstLicenceRecorded",
      );
    });
  });

  describe("who may take a first licence", () => {
    it("refuses a licensee that is not an originator", async () => {
      const f = await loadFixture(licenceFixture);
      const { outsider, patentee } = f.signers;
      const terms = firstTermsFor(f, { licensee: outsider.address });
      const consent = await signFirstGrant(f.licenceRegistry, patentee, terms);
      await expect(f.licenceRegistry.connect(outsider).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenseeInvalid")
        .withArgs(outsider.address);
    });

    it("refuses an originator recording a licence for another licensee", async () => {
      const f = await loadFixture(licenceFixture);
      const { originator, outsider, patentee } = f.signers;
      const terms = firstTermsFor(f, { licensee: outsider.address });
      const consent = await signFirstGrant(f.licenceRegistry, patentee, terms);
      await expect(f.licenceRegistry.connect(originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenseeInvalid")
        .withArgs(outsider.address);
    });

    it("refuses an originator whose role was revoked", async () => {
      const f = await loadFixture(licenceFixture);
      const { admin, originator, patentee } = f.signers;
      await f.accessManager.connect(admin).revokeRole(Roles.ORIGINATOR, originator.address);
      const terms = firstTermsFor(f);
      const consent = await signFirstGrant(f.licenceRegistry, patentee, terms);
      await expect(f.licenceRegistry.connect(originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenseeInvalid")
        .withArgs(originator.address);
    });
  });

  describe("terms", () => {
    const randomAddresses = (n: number) => Array.from({ length: n }, () => ethers.Wallet.createRandom().address);
    const cases: { rule: string; overrides: (f: LicenceFixture) => Parameters<typeof firstTermsFor>[1] }[] = [
      { rule: "no asset", overrides: () => ({ assetIds: [] }) },
      { rule: "more than 32 assets", overrides: (f) => ({ assetIds: Array(33).fill(f.assets.soloPatent) }) },
      { rule: "no licensor", overrides: () => ({ licensors: [] }) },
      { rule: "more than 16 licensors", overrides: () => ({ licensors: randomAddresses(17) }) },
      { rule: "a start on its end date", overrides: (f) => ({ endDate: f.now }) },
      { rule: "a start after its end date", overrides: (f) => ({ startDate: f.now + YEAR, endDate: f.now }) },
    ];
    for (const { rule, overrides } of cases) {
      it(`refuses a licence with ${rule}`, async () => {
        const f = await loadFixture(licenceFixture);
        const terms = firstTermsFor(f, overrides(f));
        const consents = terms.licensors.map(() => NO_CONSENT);
        await expect(
          f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, consents),
        ).to.be.revertedWithCustomError(f.licenceRegistry, "LicenceTermsInvalid");
      });
    }

    it("refuses a licence with fewer consents than licensors", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f, {
        assetIds: [f.assets.coOwnedPatent],
        licensors: [f.signers.patentee.address, f.signers.coOwner.address],
      });
      const consents = [await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms)];
      await expect(
        f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, consents),
      ).to.be.revertedWithCustomError(f.licenceRegistry, "LicenceTermsInvalid");
    });

    it("refuses a licence outlasting the asset by a second", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f, { endDate: f.expiryDate + 1n });
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceBeyondExpiry")
        .withArgs(f.assets.soloPatent, f.expiryDate);
    });
  });

  describe("asset standing", () => {
    const asRegistrar = (f: LicenceFixture) => f.assetRegister.connect(f.signers.registrar);
    const patenteeAlone = (f: LicenceFixture) => [{ holder: f.signers.patentee.address, shareBps: 10_000 }];
    const cases: { state: string; reason: number; asset: (f: LicenceFixture) => Promise<string> }[] = [
      {
        state: "lapsed",
        reason: NotLicensable.NotInForce,
        asset: async (f) => {
          await asRegistrar(f).recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
          return f.assets.soloPatent;
        },
      },
      {
        state: "invalidated",
        reason: NotLicensable.NotInForce,
        asset: async (f) => {
          await asRegistrar(f).recordStatus(f.assets.soloPatent, AssetStatus.Invalidated, docHash("invalidation"));
          return f.assets.soloPatent;
        },
      },
      {
        state: "past its expiry date",
        reason: NotLicensable.NotInForce,
        asset: async (f) => {
          const term = { grantDate: f.now - 20n * YEAR, expiryDate: f.now + DAY, feesPaidUntil: f.now + 2n * YEAR };
          const expired = await f.recordPatent("ZL200410000007.7", patenteeAlone(f), term);
          await time.increaseTo(f.now + DAY);
          return expired;
        },
      },
      {
        state: "only applied for",
        reason: NotLicensable.NotGranted,
        asset: (f) =>
          f.recordPatent("CN202410000006.6", patenteeAlone(f), { grantDate: 0n, expiryDate: 0n, feesPaidUntil: 0n }),
      },
      {
        state: "with annual fees unpaid",
        reason: NotLicensable.FeeUnpaid,
        asset: async (f) => {
          await time.increaseTo(f.now + YEAR + 1n);
          return f.assets.soloPatent;
        },
      },
      {
        state: "frozen by an ownership dispute",
        reason: NotLicensable.Frozen,
        asset: async (f) => {
          await asRegistrar(f).recordFreeze(f.assets.soloPatent, FreezeKind.OwnershipDispute, docHash("dispute"));
          return f.assets.soloPatent;
        },
      },
      {
        state: "frozen by a preservation order",
        reason: NotLicensable.Frozen,
        asset: async (f) => {
          await asRegistrar(f).recordFreeze(f.assets.soloPatent, FreezeKind.PreservationOrder, docHash("court order"));
          return f.assets.soloPatent;
        },
      },
    ];
    for (const { state, reason, asset } of cases) {
      it(`refuses a patent ${state} (reason ${reason})`, async () => {
        const f = await loadFixture(licenceFixture);
        const assetId = await asset(f);
        const terms = firstTermsFor(f, { assetIds: [assetId], startDate: f.now + YEAR + DAY });
        const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
        await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
          .to.be.revertedWithCustomError(f.licenceRegistry, "AssetNotLicensable")
          .withArgs(assetId, reason);
      });
    }

    it("refuses an asset the register does not know", async () => {
      const f = await loadFixture(licenceFixture);
      const unknown = await f.assetRegister.assetIdOf(AssetKind.InventionPatent, "ZL209910000000.0");
      const terms = firstTermsFor(f, { assetIds: [unknown] });
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(unknown);
    });
  });

  describe("licensors", () => {
    it("refuses a licence that leaves out a co-owner", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f, { assetIds: [f.assets.coOwnedPatent] });
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "HolderNotLicensor")
        .withArgs(f.assets.coOwnedPatent, f.signers.coOwner.address);
    });

    it("refuses a licensor who holds none of the assets, even with a valid signature", async () => {
      const f = await loadFixture(licenceFixture);
      const { patentee, stranger } = f.signers;
      const terms = firstTermsFor(f, { licensors: [patentee.address, stranger.address] });
      const consents = [
        await signFirstGrant(f.licenceRegistry, patentee, terms),
        await signFirstGrant(f.licenceRegistry, stranger, terms),
      ];
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, consents))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicensorNotHolder")
        .withArgs(stranger.address);
    });
  });

  describe("consents", () => {
    it("refuses a licensor's missing signature when the licensor does not send the licence", async () => {
      const f = await loadFixture(licenceFixture);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(firstTermsFor(f), [NO_CONSENT]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
        .withArgs(f.signers.patentee.address);
    });

    it("refuses a signature by someone other than the licensor", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f);
      const forged = await signFirstGrant(f.licenceRegistry, f.signers.stranger, terms);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [forged]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
        .withArgs(f.signers.patentee.address);
    });

    it("refuses a signature over other terms (a lower up-front fee)", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f);
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      const changed = { ...terms, upfrontFee: terms.upfrontFee - 1n };
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(changed, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
        .withArgs(f.signers.patentee.address);
    });

    it("refuses a signature made for the pledge registry's domain", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = domainOf("pledgeRegistry", chainId, await f.licenceRegistry.getAddress());
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms, { domain });
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "SignatureInvalid")
        .withArgs(f.signers.patentee.address);
    });

    it("refuses a replayed consent", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f);
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "NonceUsed")
        .withArgs(f.signers.patentee.address, consent.nonce);
    });

    it("refuses a consent whose nonce the licensor cancelled", async () => {
      const f = await loadFixture(licenceFixture);
      const { patentee } = f.signers;
      const terms = firstTermsFor(f);
      const consent = await signFirstGrant(f.licenceRegistry, patentee, terms);
      await expect(f.licenceRegistry.connect(patentee).cancelNonce(consent.nonce))
        .to.emit(f.licenceRegistry, "NonceCancelled")
        .withArgs(patentee.address, consent.nonce);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "NonceUsed")
        .withArgs(patentee.address, consent.nonce);
    });

    it("refuses a consent after its deadline", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f);
      const deadline = f.now + DAY;
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms, { deadline });
      await time.increaseTo(deadline + 1n);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]))
        .to.be.revertedWithCustomError(f.licenceRegistry, "DeadlinePassed")
        .withArgs(f.signers.patentee.address, deadline);
    });
  });

  describe("pause", () => {
    it("refuses first licences while the admin has paused the registry, and records them again after", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f);
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await f.licenceRegistry.connect(f.signers.admin).pause();
      await expect(
        f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent]),
      ).to.be.revertedWithCustomError(f.licenceRegistry, "EnforcedPause");
      await f.licenceRegistry.connect(f.signers.admin).unpause();
      await expect(f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent])).to.emit(
        f.licenceRegistry,
        "FirstLicenceRecorded",
      );
    });

    it("lets only the admin pause", async () => {
      const f = await loadFixture(licenceFixture);
      for (const caller of [f.signers.registrar, f.signers.originator]) {
        await expect(f.licenceRegistry.connect(caller).pause())
          .to.be.revertedWithCustomError(f.licenceRegistry, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });
});
