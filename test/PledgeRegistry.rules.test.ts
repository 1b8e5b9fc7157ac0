/**
 * SPEC §4.2: every reason code has a case that triggers exactly it — the submission reverts with its custom error
 * and the preflight view reports that one failure and no other.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { Roles } from "../scripts/lib/roles";
import { Reason, errorNameOf, type ReasonCode } from "../scripts/lib/reasons";
import { NO_CONSENT, type Consent, type PledgeTerms } from "../scripts/lib/typedData";
import {
  AssetKind,
  AssetStatus,
  DAY,
  FreezeKind,
  ValuationVerdict,
  YEAR,
  deployRegistryFixture,
  docHash,
  type RegistryFixture,
} from "./helpers/registryFixture";
import { consentsFor, registeredPledge, signApplication, termsFor } from "./helpers/pledging";

type SubmitArgs = [PledgeTerms, Consent[], Consent];

interface RuleCase {
  code: ReasonCode;
  rule: string;
  /** Puts the register in the state the case needs and returns what is submitted. */
  arrange: (f: RegistryFixture) => Promise<SubmitArgs>;
  /** The custom error's arguments. */
  args: (f: RegistryFixture, submitted: SubmitArgs) => unknown[];
}

const signedByAlice = (f: RegistryFixture, overrides: Partial<PledgeTerms> = {}) =>
  consentsFor(f, termsFor(f, overrides), [f.signers.alice]);

async function recordAppliedPatent(f: RegistryFixture) {
  await f.assetRegister
    .connect(f.signers.registrar)
    .recordAsset(
      AssetKind.InventionPatent,
      "CN202610099999.1",
      [{ holder: f.signers.alice.address, shareBps: 10_000 }],
      0,
      0,
      0,
      docHash("filing"),
    );
  const assetId = await f.assetRegister.assetIdOf(AssetKind.InventionPatent, "CN202610099999.1");
  await f.valuations.setReport(f.reportId, [assetId]);
  return assetId;
}

const CASES: RuleCase[] = [
  {
    code: "PLEDGOR_NOT_HOLDER",
    rule: "refuses a pledgor who holds none of the assets",
    arrange: async (f) =>
      consentsFor(f, termsFor(f, { pledgors: [f.signers.alice.address, f.signers.carol.address] }), [
        f.signers.alice,
        f.signers.carol,
      ]),
    args: (f) => [f.signers.carol.address],
  },
  {
    code: "ASSET_NOT_IN_FORCE",
    rule: "refuses a lapsed asset",
    arrange: async (f) => {
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
      return signedByAlice(f);
    },
    args: (f) => [f.assets.soloPatent],
  },
  {
    code: "ASSET_NOT_GRANTED",
    rule: "refuses an asset that is only applied for",
    arrange: async (f) => signedByAlice(f, { assetIds: [await recordAppliedPatent(f)] }),
    args: (_f, [terms]) => [terms.assetIds[0]],
  },
  {
    code: "ANNUAL_FEE_UNPAID",
    rule: "refuses a patent whose annual fees are unpaid",
    arrange: async (f) => {
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordAnnualFees(f.assets.soloPatent, f.now - DAY, docHash("fees"));
      return signedByAlice(f);
    },
    args: (f) => [f.assets.soloPatent, f.now - DAY],
  },
  {
    code: "ASSET_FROZEN",
    rule: "refuses an asset under a court preservation order",
    arrange: async (f) => {
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordFreeze(f.assets.soloPatent, FreezeKind.PreservationOrder, docHash("court order"));
      return signedByAlice(f);
    },
    args: (f) => [f.assets.soloPatent, FreezeKind.PreservationOrder],
  },
  {
    code: "DEBT_BEYOND_EXPIRY",
    rule: "refuses a debt that matures after the asset expires",
    arrange: async (f) => {
      const terms = termsFor(f);
      const expiry = f.now + 18n * YEAR;
      return signedByAlice(f, { debt: { ...terms.debt, maturityDate: expiry + 1n } });
    },
    args: (f) => [f.assets.soloPatent, anyValue],
  },
  {
    code: "FORFEITURE_CLAUSE",
    rule: "refuses a contract with a forfeiture clause",
    arrange: async (f) => signedByAlice(f, { forfeitureClause: true }),
    args: () => [],
  },
  {
    code: "CO_OWNER_CONSENT_MISSING",
    rule: "refuses a co-owned asset without every co-owner's signature",
    arrange: async (f) =>
      consentsFor(
        f,
        termsFor(f, { assetIds: [f.assets.coOwnedPatent], pledgors: [f.signers.alice.address, f.signers.bob.address] }),
        [f.signers.alice],
      ),
    args: (f) => [f.assets.coOwnedPatent, f.signers.bob.address],
  },
  {
    code: "ALREADY_PLEDGED",
    rule: "refuses an asset already under a registered pledge",
    arrange: async (f) => {
      await registeredPledge(f);
      return consentsFor(
        f,
        termsFor(f, { pledgee: f.signers.secondBank.address }),
        [f.signers.alice],
        f.signers.secondBank,
      );
    },
    args: (f) => [f.assets.soloPatent, 1n],
  },
  {
    code: "INVALIDATION_PENDING",
    rule: "refuses an asset under invalidation proceedings the parties did not acknowledge",
    arrange: async (f) => {
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordInvalidationProceedings(f.assets.soloPatent, true, docHash("invalidation request"));
      return signedByAlice(f);
    },
    args: (f) => [f.assets.soloPatent],
  },
  {
    code: "VALUATION_INVALID",
    rule: "refuses a valuation report the registry does not know",
    arrange: async (f) => signedByAlice(f, { valuationReportId: docHash("never anchored") }),
    args: () => [docHash("never anchored"), ValuationVerdict.Unknown],
  },
  {
    code: "PLEDGEE_NOT_LICENSED",
    rule: "refuses a pledgee that is not a licensed lender",
    arrange: async (f) =>
      consentsFor(
        f,
        termsFor(f, { pledgee: f.signers.unlicensedLender.address }),
        [f.signers.alice],
        f.signers.unlicensedLender,
      ),
    args: (f) => [f.signers.unlicensedLender.address],
  },
  {
    code: "SIGNATURE_INVALID",
    rule: "refuses a signature made by someone else than the party",
    arrange: async (f) => {
      const terms = termsFor(f);
      const forged = await signApplication(f.pledgeRegistry, f.signers.outsider, terms);
      return [terms, [forged], await signApplication(f.pledgeRegistry, f.signers.bank, terms)];
    },
    args: (f) => [f.signers.alice.address],
  },
  {
    code: "NONCE_USED",
    rule: "refuses a signature over a nonce the signer already used",
    arrange: async (f) => {
      await f.pledgeRegistry.connect(f.signers.alice).cancelNonce(777n);
      const terms = termsFor(f);
      return [
        terms,
        [await signApplication(f.pledgeRegistry, f.signers.alice, terms, { nonce: 777n })],
        await signApplication(f.pledgeRegistry, f.signers.bank, terms),
      ];
    },
    args: (f) => [f.signers.alice.address, 777n],
  },
  {
    code: "DEADLINE_PASSED",
    rule: "refuses a signature past its deadline",
    arrange: async (f) => {
      const terms = termsFor(f);
      const deadline = BigInt(await time.latest()) + 60n;
      const consent = await signApplication(f.pledgeRegistry, f.signers.alice, terms, { deadline });
      const pledgeeConsent = await signApplication(f.pledgeRegistry, f.signers.bank, terms);
      await time.increaseTo(deadline + 1n);
      return [terms, [consent], pledgeeConsent];
    },
    args: (f) => [f.signers.alice.address, anyValue],
  },
];

describe("PledgeRegistry — registration rules (SPEC §4.2)", () => {
  it("has a case for every reason code", () => {
    const covered = CASES.map((c) => c.code).sort();
    const all = (Object.keys(Reason) as ReasonCode[]).filter((c) => c !== "REFUSED_BY_REGISTRAR").sort();
    expect(covered).to.deep.equal(all);
  });

  it("accepts the baseline application every case departs from", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const args = await signedByAlice(f);
    expect(await f.pledgeRegistry.evaluate(...args)).to.have.length(0);
    await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args)).to.emit(
      f.pledgeRegistry,
      "PledgeApplied",
    );
  });

  for (const c of CASES) {
    describe(c.code, () => {
      it(`${c.rule}: submission reverts with ${errorNameOf(c.code)}`, async () => {
        const f = await loadFixture(deployRegistryFixture);
        const args = await c.arrange(f);
        await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args))
          .to.be.revertedWithCustomError(f.pledgeRegistry, errorNameOf(c.code))
          .withArgs(...c.args(f, args));
      });

      it(`${c.rule}: the preflight view reports ${c.code} and nothing else`, async () => {
        const f = await loadFixture(deployRegistryFixture);
        const args = await c.arrange(f);
        const failures = await f.pledgeRegistry.evaluate(...args);
        expect(failures.map((x) => Number(x.reason))).to.deep.equal([Reason[c.code]]);
      });
    });
  }
});

describe("PledgeRegistry — rule details", () => {
  describe("ASSET_NOT_IN_FORCE", () => {
    it("refuses an invalidated asset", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordStatus(f.assets.soloPatent, AssetStatus.Invalidated, docHash("decision"));
      await expect(f.pledgeRegistry.submitApplication(...(await signedByAlice(f))))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AssetNotInForce")
        .withArgs(f.assets.soloPatent);
    });

    it("refuses an asset past its expiry date", async () => {
      const f = await loadFixture(deployRegistryFixture);
      // A trademark expiring in 9 years; move past it and keep the debt inside the (old) term by starting early.
      await time.increaseTo(f.now + 9n * YEAR);
      const terms = termsFor(f, { assetIds: [f.assets.trademark], pledgors: [f.signers.carol.address] });
      terms.debt = { ...terms.debt, maturityDate: f.now + 9n * YEAR - 1n };
      const args = await consentsFor(f, terms, [f.signers.carol]);
      await expect(f.pledgeRegistry.submitApplication(...args))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AssetNotInForce")
        .withArgs(f.assets.trademark);
    });
  });

  describe("ANNUAL_FEE_UNPAID", () => {
    it("does not ask annual fees of a trademark", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const args = await consentsFor(
        f,
        termsFor(f, { assetIds: [f.assets.trademark], pledgors: [f.signers.carol.address] }),
        [f.signers.carol],
      );
      expect(await f.pledgeRegistry.evaluate(...args)).to.have.length(0);
    });
  });

  describe("DEBT_BEYOND_EXPIRY", () => {
    it("accepts a debt maturing exactly on the expiry date", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const terms = termsFor(f);
      const args = await signedByAlice(f, { debt: { ...terms.debt, maturityDate: f.now + 18n * YEAR } });
      expect(await f.pledgeRegistry.evaluate(...args)).to.have.length(0);
    });
  });

  describe("CO_OWNER_CONSENT_MISSING", () => {
    it("refuses a co-owned asset when a co-owner is not even listed as pledgor", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const args = await consentsFor(f, termsFor(f, { assetIds: [f.assets.coOwnedPatent] }), [f.signers.alice]);
      await expect(f.pledgeRegistry.submitApplication(...args))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "CoOwnerConsentMissing")
        .withArgs(f.assets.coOwnedPatent, f.signers.bob.address);
    });

    it("registers only once every co-owner has signed", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const terms = termsFor(f, {
        assetIds: [f.assets.coOwnedPatent],
        pledgors: [f.signers.alice.address, f.signers.bob.address],
      });
      const [, aliceOnly, pledgee] = await consentsFor(f, terms, [f.signers.alice]);
      await expect(f.pledgeRegistry.submitApplication(terms, aliceOnly, pledgee)).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "CoOwnerConsentMissing",
      );
      const both = await consentsFor(f, terms, [f.signers.alice, f.signers.bob]);
      await expect(f.pledgeRegistry.submitApplication(...both)).to.emit(f.pledgeRegistry, "PledgeApplied");
      await expect(f.pledgeRegistry.connect(f.signers.registrar).register(1n)).to.emit(
        f.pledgeRegistry,
        "PledgeRegistered",
      );
    });

    it("counts a pledgor sending the transaction itself as consenting without a signature", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const terms = termsFor(f);
      const pledgee = await signApplication(f.pledgeRegistry, f.signers.bank, terms);
      await expect(f.pledgeRegistry.connect(f.signers.alice).submitApplication(terms, [NO_CONSENT], pledgee)).to.emit(
        f.pledgeRegistry,
        "PledgeApplied",
      );
    });
  });

  describe("INVALIDATION_PENDING", () => {
    it("accepts the asset when the parties acknowledge the proceedings in the signed application", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordInvalidationProceedings(f.assets.soloPatent, true, docHash("req"));
      const args = await signedByAlice(f, { invalidationAcknowledged: true });
      expect(await f.pledgeRegistry.evaluate(...args)).to.have.length(0);
      await expect(f.pledgeRegistry.submitApplication(...args)).to.emit(f.pledgeRegistry, "PledgeApplied");
    });
  });

  describe("VALUATION_INVALID", () => {
    const verdicts = ["Revoked", "Superseded", "Expired"] as const;
    for (const verdict of verdicts) {
      it(`refuses a ${verdict.toLowerCase()} report`, async () => {
        const f = await loadFixture(deployRegistryFixture);
        await f.valuations.setVerdict(f.reportId, ValuationVerdict[verdict]);
        await expect(f.pledgeRegistry.submitApplication(...(await signedByAlice(f))))
          .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
          .withArgs(f.reportId, ValuationVerdict[verdict]);
      });
    }

    it("refuses a report that does not cover every pledged asset", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const partial = docHash("report covering only the solo patent");
      await f.valuations.setReport(partial, [f.assets.soloPatent]);
      const terms = termsFor(f, {
        assetIds: [f.assets.soloPatent, f.assets.coOwnedPatent],
        pledgors: [f.signers.alice.address, f.signers.bob.address],
        valuationReportId: partial,
      });
      const args = await consentsFor(f, terms, [f.signers.alice, f.signers.bob]);
      await expect(f.pledgeRegistry.submitApplication(...args))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "ValuationInvalid")
        .withArgs(partial, ValuationVerdict.AssetNotCovered);
    });
  });

  describe("PLEDGEE_NOT_LICENSED", () => {
    it("refuses a lender whose licence the registrar withdrew", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await f.accessManager.connect(f.signers.registrar).revokeRole(Roles.PLEDGEE, f.signers.bank.address);
      await expect(f.pledgeRegistry.submitApplication(...(await signedByAlice(f))))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeeNotLicensed")
        .withArgs(f.signers.bank.address);
    });
  });

  describe("SIGNATURE_INVALID", () => {
    it("refuses an application without the pledgee's signature", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const [terms, pledgors] = await signedByAlice(f);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(terms, pledgors, NO_CONSENT))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
        .withArgs(f.signers.bank.address);
    });

    it("refuses a signature over other terms than those submitted", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const [terms, pledgors, pledgee] = await signedByAlice(f);
      const inflated = { ...terms, debt: { ...terms.debt, principal: terms.debt.principal * 2n } };
      await expect(f.pledgeRegistry.submitApplication(inflated, pledgors, pledgee)).to.be.revertedWithCustomError(
        f.pledgeRegistry,
        "SignatureInvalid",
      );
    });
  });

  describe("the registration office's queue", () => {
    it("lists every failing rule of an application at once", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordFreeze(f.assets.soloPatent, FreezeKind.OwnershipDispute, docHash("suit"));
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordAnnualFees(f.assets.soloPatent, f.now - DAY, docHash("fees"));
      const args = await consentsFor(
        f,
        termsFor(f, { forfeitureClause: true, pledgee: f.signers.unlicensedLender.address }),
        [f.signers.alice],
        f.signers.unlicensedLender,
      );
      const reasons = (await f.pledgeRegistry.evaluate(...args)).map((x) => Number(x.reason));
      expect(reasons).to.have.members([
        Reason.ANNUAL_FEE_UNPAID,
        Reason.ASSET_FROZEN,
        Reason.FORFEITURE_CLAUSE,
        Reason.PLEDGEE_NOT_LICENSED,
      ]);
      expect(reasons).to.have.length(4);
    });

    it("shows what changed for a pending application since it was submitted", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await f.pledgeRegistry.submitApplication(...(await signedByAlice(f)));
      expect(await f.pledgeRegistry.evaluatePending(1n)).to.have.length(0);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordFreeze(f.assets.soloPatent, FreezeKind.PreservationOrder, docHash("order"));
      const failures = await f.pledgeRegistry.evaluatePending(1n);
      expect(failures.map((x) => [Number(x.reason), x.assetId])).to.deep.equal([
        [Reason.ASSET_FROZEN, f.assets.soloPatent],
      ]);
      await expect(f.pledgeRegistry.connect(f.signers.registrar).register(1n))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AssetFrozen")
        .withArgs(f.assets.soloPatent, FreezeKind.PreservationOrder);
    });

    it("checks the rules again at registration: of two pending applications on one asset, the first registered wins", async () => {
      const f = await loadFixture(deployRegistryFixture);
      await f.pledgeRegistry.submitApplication(...(await signedByAlice(f)));
      await f.pledgeRegistry.submitApplication(
        ...(await consentsFor(
          f,
          termsFor(f, { pledgee: f.signers.secondBank.address }),
          [f.signers.alice],
          f.signers.secondBank,
        )),
      );
      await f.pledgeRegistry.connect(f.signers.registrar).register(2n);
      await expect(f.pledgeRegistry.connect(f.signers.registrar).register(1n))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AlreadyPledged")
        .withArgs(f.assets.soloPatent, 2n);
      expect((await f.pledgeRegistry.evaluatePending(1n)).map((x) => Number(x.reason))).to.deep.equal([
        Reason.ALREADY_PLEDGED,
      ]);
    });
  });
});
