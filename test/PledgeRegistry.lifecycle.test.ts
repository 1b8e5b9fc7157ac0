/**
 * SPEC §4.3: Pending → Registered → Released; Registered → Enforced → Disposed; Pending → Refused | Withdrawn.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String } from "ethers";
import { Reason } from "../definitions/reasons";
import { cny } from "../definitions/riskSchemes";
import { NO_CONSENT } from "../definitions/typedData";
import {
  AssetKind,
  DEBTOR,
  DisposalMethod,
  PledgeStatus,
  ValuationVerdict,
  YEAR,
  deployRegistryFixture,
  docHash,
  type RegistryFixture,
} from "./helpers/registryFixture";
import {
  consentsFor,
  registeredPledge,
  signChange,
  signDefault,
  signDisposal,
  signRelease,
  signWithdrawal,
  submitSigned,
  termsFor,
} from "./helpers/pledging";

const registrarOf = (f: RegistryFixture) => f.pledgeRegistry.connect(f.signers.registrar);
const EVIDENCE = docHash("acceleration notice");

async function enforcedPledge(f: RegistryFixture, riskScheme = 0n) {
  const pledgeId = await registeredPledge(f, termsFor(f, { riskScheme }));
  await time.increaseTo(f.now + YEAR + 1n);
  await f.pledgeRegistry.declareDefault(
    pledgeId,
    docHash("default"),
    await signDefault(f.pledgeRegistry, f.signers.bank, pledgeId, docHash("default")),
  );
  return pledgeId;
}

describe("PledgeRegistry — lifecycle (SPEC §4.3)", () => {
  describe("submission", () => {
    it("records a pending application with every signed term and the submitter", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const terms = termsFor(f);
      const args = await consentsFor(f, terms, [f.signers.alice]);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args))
        .to.emit(f.pledgeRegistry, "PledgeApplied")
        .withArgs(
          1n,
          f.signers.bank.address,
          (h: string) => /^0x[0-9a-f]{64}$/.test(h),
          (t: { pledgee: string }) => t.pledgee === f.signers.bank.address,
          f.signers.relayer.address,
        );
      const pledge = await f.pledgeRegistry.pledgeOf(1n);
      expect(pledge.status).to.equal(PledgeStatus.Pending);
      expect(pledge.principal).to.equal(f.principal);
      expect(pledge.debtor).to.equal(DEBTOR);
      expect(pledge.maturityDate).to.equal(f.now + YEAR);
      expect(pledge.contractHash).to.equal(terms.contractHash);
      expect(await f.pledgeRegistry.pledgedAssetsOf(1n)).to.deep.equal([f.assets.soloPatent]);
      expect(await f.pledgeRegistry.pledgorsOf(1n)).to.deep.equal([f.signers.alice.address]);
      expect((await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent)).pledged).to.equal(false);
    });

    it("names each pledged asset in its own event, so that an asset's pledges can be found by the asset", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const terms = termsFor(f, {
        assetIds: [f.assets.soloPatent, f.assets.coOwnedPatent],
        pledgors: [f.signers.alice.address, f.signers.bob.address],
      });
      const tx = f.pledgeRegistry.submitApplication(...(await consentsFor(f, terms, [f.signers.alice, f.signers.bob])));
      await expect(tx)
        .to.emit(f.pledgeRegistry, "AssetNamedInPledge")
        .withArgs(f.assets.soloPatent, 1n)
        .and.to.emit(f.pledgeRegistry, "AssetNamedInPledge")
        .withArgs(f.assets.coOwnedPatent, 1n);
      const byAsset = await f.pledgeRegistry.queryFilter(
        f.pledgeRegistry.filters.AssetNamedInPledge(f.assets.coOwnedPatent),
      );
      expect(byAsset.map((e) => e.args.pledgeId)).to.deep.equal([1n]);
    });

    it("refuses malformed applications before any rule", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const base = termsFor(f);
      const [, consents, pledgee] = await consentsFor(f, base, [f.signers.alice]);
      const reg = f.pledgeRegistry;
      await expect(reg.submitApplication({ ...base, assetIds: [] }, consents, pledgee)).to.be.revertedWithCustomError(
        reg,
        "PledgeShapeInvalid",
      );
      await expect(reg.submitApplication(base, [], pledgee))
        .to.be.revertedWithCustomError(reg, "ConsentCountMismatch")
        .withArgs(1, 0);
      await expect(
        reg.submitApplication({ ...base, assetIds: [f.assets.soloPatent, f.assets.soloPatent] }, consents, pledgee),
      )
        .to.be.revertedWithCustomError(reg, "AssetListedTwice")
        .withArgs(f.assets.soloPatent);
      await expect(reg.submitApplication({ ...base, pledgee: f.signers.alice.address }, consents, pledgee))
        .to.be.revertedWithCustomError(reg, "PartyListedTwice")
        .withArgs(f.signers.alice.address);
      await expect(
        reg.submitApplication({ ...base, debt: { ...base.debt, principal: 0n } }, consents, pledgee),
      ).to.be.revertedWithCustomError(reg, "SecuredDebtInvalid");
      // A principal is stored in 96 bits (7.9e28 fen, far beyond any loan): one above is refused, not truncated.
      await expect(
        reg.submitApplication({ ...base, debt: { ...base.debt, principal: 2n ** 96n } }, consents, pledgee),
      ).to.be.revertedWithCustomError(reg, "SecuredDebtInvalid");
      await expect(
        reg.submitApplication(
          { ...base, debt: { ...base.debt, maturityDate: base.debt.startDate } },
          consents,
          pledgee,
        ),
      ).to.be.revertedWithCustomError(reg, "SecuredDebtInvalid");
      await expect(reg.submitApplication({ ...base, riskScheme: 99 }, consents, pledgee))
        .to.be.revertedWithCustomError(reg, "RiskSchemeUnknown")
        .withArgs(99);
      const unknownAsset = await f.assetRegister.assetIdOf(AssetKind.Design, "never recorded");
      await expect(
        reg.submitApplication(...(await consentsFor(f, { ...base, assetIds: [unknownAsset] }, [f.signers.alice]))),
      )
        .to.be.revertedWithCustomError(reg, "AssetUnknown")
        .withArgs(unknownAsset);
    });
  });

  describe("registration", () => {
    it("issues sequential registration numbers with the registration time", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const first = await submitSigned(f, termsFor(f), [f.signers.alice]);
      const second = await submitSigned(
        f,
        termsFor(f, { assetIds: [f.assets.trademark], pledgors: [f.signers.carol.address] }),
        [f.signers.carol],
      );
      await expect(registrarOf(f).register(second))
        .to.emit(f.pledgeRegistry, "PledgeRegistered")
        .withArgs(second, 1n, (t: bigint) => t > 0n);
      await registrarOf(f).register(first);
      const pledge = await f.pledgeRegistry.pledgeOf(first);
      expect(pledge.status).to.equal(PledgeStatus.Registered);
      expect(pledge.registrationNumber).to.equal(2n);
      expect(pledge.registeredAt).to.equal(BigInt(await time.latest()));
    });

    it("answers the bank's question about the asset in one call (SPEC §4.4)", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const status = await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent);
      expect(status.pledged).to.equal(true);
      expect(status.pledgeId).to.equal(pledgeId);
      expect(status.status).to.equal(PledgeStatus.Registered);
      expect(status.pledgee).to.equal(f.signers.bank.address);
      expect(status.principal).to.equal(f.principal);
      expect(status.currency).to.equal("0x434e59");
      expect(status.maturityDate).to.equal(f.now + YEAR);
      expect(status.registrationNumber).to.equal(1n);
      expect(status.valuationReportId).to.equal(f.reportId);
      expect(status.valuationVerdict).to.equal(ValuationVerdict.Valid);
    });

    it("keeps a registered pledge when its valuation report is later revoked, and shows the report's new state", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await registeredPledge(f);
      await f.valuations.setVerdict(f.reportId, ValuationVerdict.Revoked);
      const status = await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent);
      expect(status.status).to.equal(PledgeStatus.Registered);
      expect(status.valuationVerdict).to.equal(ValuationVerdict.Revoked);
    });

    it("is the registrar's alone", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
      await expect(f.pledgeRegistry.connect(f.signers.bank).register(pledgeId))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AccessManagedUnauthorized")
        .withArgs(f.signers.bank.address);
    });

    it("registers in the submitting transaction when instant registration is on", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await expect(registrarOf(f).setInstantRegistration(true))
        .to.emit(f.pledgeRegistry, "InstantRegistrationSet")
        .withArgs(true);
      const args = await consentsFor(f, termsFor(f), [f.signers.alice]);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args))
        .to.emit(f.pledgeRegistry, "PledgeRegistered")
        .withArgs(1n, 1n, (t: bigint) => t > 0n);
      expect((await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent)).pledged).to.equal(true);
    });

    it("lets only the registrar switch instant registration", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await expect(f.pledgeRegistry.connect(f.signers.bank).setInstantRegistration(true)).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "AccessManagedUnauthorized",
      );
    });

    it("cannot register a pledge twice or one that does not exist", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      await expect(registrarOf(f).register(pledgeId))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeStatusInvalid")
        .withArgs(pledgeId, PledgeStatus.Registered);
      await expect(registrarOf(f).register(42n))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeNotFound")
        .withArgs(42n);
    });
  });

  describe("refusal and withdrawal", () => {
    it("refuses with a reason code", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
      await expect(registrarOf(f).refuse(pledgeId, Reason.ASSET_FROZEN, ""))
        .to.emit(f.pledgeRegistry, "PledgeRefused")
        .withArgs(pledgeId, Reason.ASSET_FROZEN, "");
      expect((await f.pledgeRegistry.pledgeOf(pledgeId)).status).to.equal(PledgeStatus.Refused);
    });

    it("refuses for a reason no machine can check, in free text", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
      await expect(registrarOf(f).refuse(pledgeId, 0, "pledge contract scan unreadable"))
        .to.emit(f.pledgeRegistry, "PledgeRefused")
        .withArgs(pledgeId, 0, "pledge contract scan unreadable");
      await expect(registrarOf(f).register(pledgeId)).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "PledgeStatusInvalid",
      );
    });

    it("lets a pledgor withdraw a pending application with a signature", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
      const consent = await signWithdrawal(f.pledgeRegistry, f.signers.alice, pledgeId);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).withdraw(pledgeId, f.signers.alice.address, consent))
        .to.emit(f.pledgeRegistry, "PledgeWithdrawn")
        .withArgs(pledgeId, f.signers.alice.address);
      expect((await f.pledgeRegistry.pledgeOf(pledgeId)).status).to.equal(PledgeStatus.Withdrawn);
    });

    it("lets the pledgee withdraw by sending the transaction itself", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
      await expect(
        f.pledgeRegistry.connect(f.signers.bank).withdraw(pledgeId, f.signers.bank.address, NO_CONSENT),
      ).to.emit(f.pledgeRegistry, "PledgeWithdrawn");
    });

    it("refuses a withdrawal by someone who is not a party, or without the party's signature", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
      await expect(
        f.pledgeRegistry.connect(f.signers.outsider).withdraw(pledgeId, f.signers.outsider.address, NO_CONSENT),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgePartyInvalid")
        .withArgs(pledgeId, f.signers.outsider.address);
      await expect(f.pledgeRegistry.connect(f.signers.outsider).withdraw(pledgeId, f.signers.alice.address, NO_CONSENT))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
        .withArgs(f.signers.alice.address);
    });
  });

  describe("change (变更)", () => {
    it("changes amount and maturity when every pledgor and the pledgee sign", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const change = {
        pledgeId,
        principal: cny(12_000_000),
        maturityDate: f.now + 2n * YEAR,
        pledgee: f.signers.bank.address,
      };
      const consents = {
        pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, change)],
        pledgee: await signChange(f.pledgeRegistry, f.signers.bank, change),
        newPledgee: NO_CONSENT,
      };
      await expect(f.pledgeRegistry.connect(f.signers.relayer).change(pledgeId, change, consents))
        .to.emit(f.pledgeRegistry, "PledgeChanged")
        .withArgs(pledgeId, f.signers.bank.address, f.signers.bank.address, cny(12_000_000), f.now + 2n * YEAR);
      const status = await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent);
      expect(status.principal).to.equal(cny(12_000_000));
      expect(status.maturityDate).to.equal(f.now + 2n * YEAR);
    });

    it("assigns the pledge to a new pledgee, who must sign too", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const change = {
        pledgeId,
        principal: f.principal,
        maturityDate: f.now + YEAR,
        pledgee: f.signers.secondBank.address,
      };
      const consents = {
        pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, change)],
        pledgee: await signChange(f.pledgeRegistry, f.signers.bank, change),
        newPledgee: NO_CONSENT,
      };
      await expect(f.pledgeRegistry.change(pledgeId, change, consents))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
        .withArgs(f.signers.secondBank.address);
      consents.newPledgee = await signChange(f.pledgeRegistry, f.signers.secondBank, change);
      await expect(f.pledgeRegistry.change(pledgeId, change, consents))
        .to.emit(f.pledgeRegistry, "PledgeChanged")
        .withArgs(pledgeId, f.signers.bank.address, f.signers.secondBank.address, f.principal, f.now + YEAR);
      expect((await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent)).pledgee).to.equal(
        f.signers.secondBank.address,
      );
      // An assignment names the new pledgee in an indexed topic, so an indexer finds the pledge under it.
      const assigned = await f.pledgeRegistry.queryFilter(
        f.pledgeRegistry.filters.PledgeChanged(undefined, undefined, f.signers.secondBank.address),
      );
      expect(assigned.map((e) => e.args.pledgeId)).to.deep.equal([pledgeId]);
    });

    it("keeps the largest principal that fits in 96 bits exactly, and refuses a change above it", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const largest = 2n ** 96n - 1n;
      const base = termsFor(f);
      const pledgeId = await registeredPledge(f, { ...base, debt: { ...base.debt, principal: largest } });
      expect((await f.pledgeRegistry.pledgeOf(pledgeId)).principal).to.equal(largest);
      expect((await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent)).principal).to.equal(largest);
      const change = {
        pledgeId,
        principal: 2n ** 96n,
        maturityDate: BigInt(base.debt.maturityDate),
        pledgee: base.pledgee,
      };
      const consents = {
        pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, change)],
        pledgee: await signChange(f.pledgeRegistry, f.signers.bank, change),
        newPledgee: NO_CONSENT,
      };
      await expect(f.pledgeRegistry.change(pledgeId, change, consents)).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "SecuredDebtInvalid",
      );
    });

    it("applies the registration rules to the new terms", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const beyondExpiry = {
        pledgeId,
        principal: f.principal,
        maturityDate: f.now + 19n * YEAR,
        pledgee: f.signers.bank.address,
      };
      await expect(
        f.pledgeRegistry.change(pledgeId, beyondExpiry, {
          pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, beyondExpiry)],
          pledgee: await signChange(f.pledgeRegistry, f.signers.bank, beyondExpiry),
          newPledgee: NO_CONSENT,
        }),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "DebtBeyondExpiry")
        .withArgs(f.assets.soloPatent, f.now + 18n * YEAR);

      const toUnlicensed = {
        pledgeId,
        principal: f.principal,
        maturityDate: f.now + YEAR,
        pledgee: f.signers.unlicensedLender.address,
      };
      await expect(
        f.pledgeRegistry.change(pledgeId, toUnlicensed, {
          pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, toUnlicensed)],
          pledgee: await signChange(f.pledgeRegistry, f.signers.bank, toUnlicensed),
          newPledgee: await signChange(f.pledgeRegistry, f.signers.unlicensedLender, toUnlicensed),
        }),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeeNotLicensed")
        .withArgs(f.signers.unlicensedLender.address);
    });

    it("refuses a change the pledgor did not sign", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const change = {
        pledgeId,
        principal: cny(20_000_000),
        maturityDate: f.now + YEAR,
        pledgee: f.signers.bank.address,
      };
      await expect(
        f.pledgeRegistry
          .connect(f.signers.bank)
          .change(pledgeId, change, { pledgors: [NO_CONSENT], pledgee: NO_CONSENT, newPledgee: NO_CONSENT }),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "CoOwnerConsentMissing")
        .withArgs(f.assets.soloPatent, f.signers.alice.address);
    });
  });

  describe("release (注销)", () => {
    it("frees the assets at once when the pledgee signs", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const consent = await signRelease(f.pledgeRegistry, f.signers.bank, pledgeId);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).release(pledgeId, consent))
        .to.emit(f.pledgeRegistry, "PledgeReleased")
        .withArgs(pledgeId, f.signers.bank.address);
      expect((await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent)).pledged).to.equal(false);
      expect((await f.pledgeRegistry.pledgeOf(pledgeId)).status).to.equal(PledgeStatus.Released);
      // Free again: a new pledge of the same asset to another bank passes.
      await expect(
        f.pledgeRegistry.submitApplication(
          ...(await consentsFor(
            f,
            termsFor(f, { pledgee: f.signers.secondBank.address }),
            [f.signers.alice],
            f.signers.secondBank,
          )),
        ),
      ).to.emit(f.pledgeRegistry, "PledgeApplied");
    });

    it("cannot be done by the pledgor", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      const byPledgor = await signRelease(f.pledgeRegistry, f.signers.alice, pledgeId);
      await expect(f.pledgeRegistry.connect(f.signers.alice).release(pledgeId, byPledgor))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
        .withArgs(f.signers.bank.address);
    });
  });

  describe("enforcement and disposal", () => {
    it("refuses to declare default before maturity without evidence of an earlier default event", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      await expect(
        f.pledgeRegistry.connect(f.signers.bank).declareDefault(pledgeId, "0x" + "00".repeat(32), NO_CONSENT),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "DefaultBeforeMaturity")
        .withArgs(pledgeId, f.now + YEAR);
      await expect(f.pledgeRegistry.connect(f.signers.bank).declareDefault(pledgeId, EVIDENCE, NO_CONSENT))
        .to.emit(f.pledgeRegistry, "PledgeEnforced")
        .withArgs(pledgeId, f.signers.bank.address, EVIDENCE);
    });

    it("after maturity, enforcement keeps the asset pledged and can no longer be released", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await enforcedPledge(f);
      const status = await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent);
      expect(status.pledged).to.equal(true);
      expect(status.status).to.equal(PledgeStatus.Enforced);
      await expect(f.pledgeRegistry.connect(f.signers.bank).release(pledgeId, NO_CONSENT))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeStatusInvalid")
        .withArgs(pledgeId, PledgeStatus.Enforced);
    });

    it("records a transfer disposal; the registrar then records the transferee as holder", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await enforcedPledge(f);
      const disposal = {
        pledgeId,
        method: DisposalMethod.Transfer,
        proceeds: cny(7_500_000),
        transferee: f.signers.outsider.address,
        evidenceHash: docHash("auction record"),
      };
      const consent = await signDisposal(f.pledgeRegistry, f.signers.bank, disposal);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).recordDisposal(pledgeId, disposal, consent))
        .to.emit(f.pledgeRegistry, "PledgeDisposed")
        .withArgs(
          pledgeId,
          DisposalMethod.Transfer,
          cny(7_500_000),
          f.signers.outsider.address,
          cny(2_500_000),
          docHash("auction record"),
        );
      const recorded = await f.pledgeRegistry.disposalOf(pledgeId);
      expect(recorded.loss).to.equal(cny(2_500_000));
      expect((await f.pledgeRegistry.collateralStatusOf(f.assets.soloPatent)).pledged).to.equal(false);

      await f.assetRegister
        .connect(f.signers.registrar)
        .recordHolders(
          f.assets.soloPatent,
          [{ holder: f.signers.outsider.address, shareBps: 10_000 }],
          docHash("transfer"),
        );
      expect(await f.assetRegister.isHolder(f.assets.soloPatent, f.signers.outsider.address)).to.equal(true);
    });

    it("needs a transferee for a transfer, and records no loss when proceeds cover the principal", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await enforcedPledge(f);
      const zero = "0x" + "00".repeat(20);
      const bank = f.pledgeRegistry.connect(f.signers.bank);
      await expect(
        bank.recordDisposal(
          pledgeId,
          { method: DisposalMethod.Transfer, proceeds: 1n, transferee: zero, evidenceHash: EVIDENCE },
          NO_CONSENT,
        ),
      ).to.be.revertedWithCustomError(f.pledgeRegistry, "TransfereeRequired");
      await bank.recordDisposal(
        pledgeId,
        { method: DisposalMethod.ReverseLicence, proceeds: f.principal + 1n, transferee: zero, evidenceHash: EVIDENCE },
        NO_CONSENT,
      );
      expect((await f.pledgeRegistry.disposalOf(pledgeId)).loss).to.equal(0n);
    });

    it("shares the loss by the pledge's risk-compensation scheme (Zhuhai: bank 60, fund 40)", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await enforcedPledge(f, f.schemeIds["zhuhai"]);
      // principal 10,000,000.00 − proceeds 6,000,000.01 = loss 3,999,999.99 CNY = 399,999,999 fen;
      // fund 40 % = floor(399,999,999 × 4,000 / 10,000) = 159,999,999 fen; bank = 240,000,000 fen.
      await expect(
        f.pledgeRegistry.connect(f.signers.bank).recordDisposal(
          pledgeId,
          {
            method: DisposalMethod.DebtToEquity,
            proceeds: 600_000_001n,
            transferee: "0x" + "00".repeat(20),
            evidenceHash: EVIDENCE,
          },
          NO_CONSENT,
        ),
      )
        .to.emit(f.lossSharing, "LossShareRecorded")
        .withArgs(pledgeId, f.schemeIds["zhuhai"], 0, encodeBytes32String("fund"), 159_999_999n)
        .and.to.emit(f.lossSharing, "LossAllocated")
        .withArgs(pledgeId, f.schemeIds["zhuhai"], DEBTOR, 399_999_999n, 240_000_000n);
    });

    it("records a loss of zero under a scheme as a split of zeros: one split record per disposal (SPEC §4.3)", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await enforcedPledge(f, f.schemeIds["zhongshan"]);
      const disposal = {
        method: DisposalMethod.ReverseLicence,
        proceeds: f.principal, // proceeds cover the principal: nothing is lost
        transferee: "0x" + "00".repeat(20),
        evidenceHash: EVIDENCE,
      };
      const tx = f.pledgeRegistry.connect(f.signers.bank).recordDisposal(pledgeId, disposal, NO_CONSENT);
      await expect(tx)
        .to.emit(f.lossSharing, "LossAllocated")
        .withArgs(pledgeId, f.schemeIds["zhongshan"], DEBTOR, 0n, 0n);
      const receipt = await (await tx).wait();
      const shares = receipt!.logs
        .map((log) => f.lossSharing.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "LossShareRecorded")
        .map((parsed) => [parsed!.args.partyIndex, parsed!.args.amount]);
      // Zhongshan has three parties besides the bank: fund, insurer, IP-service firm — each bears 0.
      expect(shares).to.deep.equal([
        [0n, 0n],
        [1n, 0n],
        [2n, 0n],
      ]);
      const allocation = await f.lossSharing.allocationOf(pledgeId);
      expect([allocation.schemeId, allocation.loss, allocation.bankShare, [...allocation.partyShares]]).to.deep.equal([
        f.schemeIds["zhongshan"],
        0n,
        0n,
        [0n, 0n, 0n],
      ]);
    });

    it("keeps no split record for a disposal without a scheme: the bank bears the whole loss", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await enforcedPledge(f);
      const disposal = {
        method: DisposalMethod.ReverseLicence,
        proceeds: cny(4_000_000),
        transferee: "0x" + "00".repeat(20),
        evidenceHash: EVIDENCE,
      };
      await expect(f.pledgeRegistry.connect(f.signers.bank).recordDisposal(pledgeId, disposal, NO_CONSENT)).not.to.emit(
        f.lossSharing,
        "LossAllocated",
      );
      expect((await f.pledgeRegistry.disposalOf(pledgeId)).loss).to.equal(cny(6_000_000));
      expect((await f.lossSharing.allocationOf(pledgeId)).schemeId).to.equal(0n);
    });

    it("cannot dispose of a pledge that was not enforced", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const pledgeId = await registeredPledge(f);
      await expect(
        f.pledgeRegistry.connect(f.signers.bank).recordDisposal(
          pledgeId,
          {
            method: DisposalMethod.ReverseLicence,
            proceeds: 0n,
            transferee: f.signers.bank.address,
            evidenceHash: EVIDENCE,
          },
          NO_CONSENT,
        ),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeStatusInvalid")
        .withArgs(pledgeId, PledgeStatus.Registered);
    });
  });

  describe("read side", () => {
    it("lets an indexer find every pledge of a pledgee and of a pledgor from indexed events", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await submitSigned(f, termsFor(f), [f.signers.alice]);
      await submitSigned(
        f,
        termsFor(f, { assetIds: [f.assets.coOwnedPatent], pledgors: [f.signers.alice.address, f.signers.bob.address] }),
        [f.signers.alice, f.signers.bob],
      );
      await submitSigned(
        f,
        termsFor(f, {
          assetIds: [f.assets.trademark],
          pledgors: [f.signers.carol.address],
          pledgee: f.signers.secondBank.address,
        }),
        [f.signers.carol],
        f.signers.secondBank,
      );
      const reg = f.pledgeRegistry;
      const ofPledgee = async (pledgee: string) =>
        (await reg.queryFilter(reg.filters.PledgeApplied(undefined, pledgee))).map((e) => e.args.pledgeId);
      const ofPledgor = async (pledgor: string) =>
        (await reg.queryFilter(reg.filters.PledgorNamedInPledge(pledgor))).map((e) => e.args.pledgeId);
      expect(await ofPledgee(f.signers.bank.address)).to.deep.equal([1n, 2n]);
      expect(await ofPledgee(f.signers.secondBank.address)).to.deep.equal([3n]);
      expect(await ofPledgor(f.signers.alice.address)).to.deep.equal([1n, 2n]);
      expect(await ofPledgor(f.signers.bob.address)).to.deep.equal([2n]);
      expect(await ofPledgor(f.signers.carol.address)).to.deep.equal([3n]);
      expect(await ofPledgor(f.signers.outsider.address)).to.deep.equal([]);
    });
  });

  describe("pause", () => {
    it("stops submissions and registrar steps while paused, by the admin only", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await expect(f.pledgeRegistry.connect(f.signers.registrar).pause()).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "AccessManagedUnauthorized",
      );
      await f.pledgeRegistry.connect(f.signers.admin).pause();
      const args = await consentsFor(f, termsFor(f), [f.signers.alice]);
      await expect(f.pledgeRegistry.submitApplication(...args)).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "EnforcedPause",
      );
      await f.pledgeRegistry.connect(f.signers.admin).unpause();
      await expect(f.pledgeRegistry.submitApplication(...args)).to.emit(f.pledgeRegistry, "PledgeApplied");
    });
  });
});
