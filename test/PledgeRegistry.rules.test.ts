/**
 * SPEC §4.2: every reason code has a case that triggers exactly it — the submission reverts with its custom error
 * and the preflight view reports that one failure and no other.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { Roles } from "../definitions/roles";
import { REASON_CODES, Reason, errorNameOf, type ReasonCode } from "../definitions/reasons";
import { NO_CONSENT, type Consent, type PledgeTerms } from "../definitions/typedData";
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
import { consentsFor, registeredPledge, signApplication, signChange, submitSigned, termsFor } from "./helpers/pledging";
import { SPEC_RULES, type RuleCode } from "./helpers/pledgeModel";

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

/** Alice's solo patent pledged to the second bank, signed by both. */
const signedByAliceToSecondBank = (f: RegistryFixture) =>
  consentsFor(f, termsFor(f, { pledgee: f.signers.secondBank.address }), [f.signers.alice], f.signers.secondBank);

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
      return signedByAliceToSecondBank(f);
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
    expect(await f.pledgeLens.evaluate(...args)).to.have.length(0);
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
        const failures = await f.pledgeLens.evaluate(...args);
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
      expect(await f.pledgeLens.evaluate(...args)).to.have.length(0);
    });
  });

  describe("DEBT_BEYOND_EXPIRY", () => {
    it("accepts a debt maturing exactly on the expiry date", async () => {
      const f = await loadFixture(deployRegistryFixture);
      const terms = termsFor(f);
      const args = await signedByAlice(f, { debt: { ...terms.debt, maturityDate: f.now + 18n * YEAR } });
      expect(await f.pledgeLens.evaluate(...args)).to.have.length(0);
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
      expect(await f.pledgeLens.evaluate(...args)).to.have.length(0);
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
      const reasons = (await f.pledgeLens.evaluate(...args)).map((x) => Number(x.reason));
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
      expect(await f.pledgeLens.evaluatePending(1n)).to.have.length(0);
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordFreeze(f.assets.soloPatent, FreezeKind.PreservationOrder, docHash("order"));
      const failures = await f.pledgeLens.evaluatePending(1n);
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
      await f.pledgeRegistry.submitApplication(...(await signedByAliceToSecondBank(f)));
      await f.pledgeRegistry.connect(f.signers.registrar).register(2n);
      await expect(f.pledgeRegistry.connect(f.signers.registrar).register(1n))
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AlreadyPledged")
        .withArgs(f.assets.soloPatent, 2n);
      expect((await f.pledgeLens.evaluatePending(1n)).map((x) => Number(x.reason))).to.deep.equal([
        Reason.ALREADY_PLEDGED,
      ]);
    });
  });
});

/**
 * SPEC §4.2 "Which reason a refusal names": an application failing several rules is refused for signature problems
 * first, otherwise for the lowest-numbered failing rule of 1–12, naming the asset or party concerned. The expected
 * code of each pair is worked out here from the SPEC's numbering; the preflight still lists both.
 */
describe("PledgeRegistry — which reason a refusal names (SPEC §4.2)", () => {
  const lowestOf = (codes: RuleCode[]) => [...codes].sort((a, b) => SPEC_RULES[a].n - SPEC_RULES[b].n)[0];
  const office = (f: RegistryFixture) => f.assetRegister.connect(f.signers.registrar);
  const freeze = (f: RegistryFixture, assetId: string) =>
    office(f).recordFreeze(assetId, FreezeKind.PreservationOrder, docHash("court order"));
  const lapse = (f: RegistryFixture, assetId: string) =>
    office(f).recordStatus(assetId, AssetStatus.Lapsed, docHash("lapse"));
  const unpaid = (f: RegistryFixture, assetId: string) =>
    office(f).recordAnnualFees(assetId, f.now - DAY, docHash("fees"));
  const beyondExpiry = (f: RegistryFixture) => ({ ...termsFor(f).debt, maturityDate: f.now + 18n * YEAR + 1n });

  interface Pair {
    name: string;
    codes: [RuleCode, RuleCode];
    arrange: (f: RegistryFixture) => Promise<SubmitArgs>;
    /** The arguments of the error the lower-numbered rule names. */
    args: (f: RegistryFixture) => unknown[];
  }

  const PAIRS: Pair[] = [
    {
      name: "a lone signer who is not the holder (the holder neither listed nor signing)",
      codes: ["PLEDGOR_NOT_HOLDER", "CO_OWNER_CONSENT_MISSING"],
      arrange: (f) => consentsFor(f, termsFor(f, { pledgors: [f.signers.carol.address] }), [f.signers.carol]),
      args: (f) => [f.signers.carol.address],
    },
    {
      name: "a frozen asset that is already pledged",
      codes: ["ASSET_FROZEN", "ALREADY_PLEDGED"],
      arrange: async (f) => {
        await registeredPledge(f);
        await freeze(f, f.assets.soloPatent);
        return signedByAliceToSecondBank(f);
      },
      args: (f) => [f.assets.soloPatent, FreezeKind.PreservationOrder],
    },
    {
      name: "unpaid annual fees and a debt maturing after expiry",
      codes: ["ANNUAL_FEE_UNPAID", "DEBT_BEYOND_EXPIRY"],
      arrange: async (f) => {
        await unpaid(f, f.assets.soloPatent);
        return signedByAlice(f, { debt: beyondExpiry(f) });
      },
      args: (f) => [f.assets.soloPatent, f.now - DAY],
    },
    {
      name: "an asset already pledged and under unacknowledged invalidation proceedings",
      codes: ["ALREADY_PLEDGED", "INVALIDATION_PENDING"],
      arrange: async (f) => {
        await registeredPledge(f);
        await office(f).recordInvalidationProceedings(f.assets.soloPatent, true, docHash("request"));
        return signedByAliceToSecondBank(f);
      },
      args: (f) => [f.assets.soloPatent, 1n],
    },
    {
      name: "a forfeiture clause and a co-owner who did not sign",
      codes: ["FORFEITURE_CLAUSE", "CO_OWNER_CONSENT_MISSING"],
      arrange: (f) =>
        consentsFor(
          f,
          termsFor(f, {
            assetIds: [f.assets.coOwnedPatent],
            pledgors: [f.signers.alice.address, f.signers.bob.address],
            forfeitureClause: true,
          }),
          [f.signers.alice],
        ),
      args: () => [],
    },
    {
      name: "the first asset frozen, the second lapsed: the lapse is named, with its asset",
      codes: ["ASSET_FROZEN", "ASSET_NOT_IN_FORCE"],
      arrange: async (f) => {
        await freeze(f, f.assets.soloPatent);
        await lapse(f, f.assets.coOwnedPatent);
        const terms = termsFor(f, {
          assetIds: [f.assets.soloPatent, f.assets.coOwnedPatent],
          pledgors: [f.signers.alice.address, f.signers.bob.address],
        });
        return consentsFor(f, terms, [f.signers.alice, f.signers.bob]);
      },
      args: (f) => [f.assets.coOwnedPatent],
    },
    {
      name: "an invalid valuation and an unlicensed pledgee",
      codes: ["VALUATION_INVALID", "PLEDGEE_NOT_LICENSED"],
      arrange: (f) =>
        consentsFor(
          f,
          termsFor(f, { pledgee: f.signers.unlicensedLender.address, valuationReportId: docHash("never anchored") }),
          [f.signers.alice],
          f.signers.unlicensedLender,
        ),
      args: () => [docHash("never anchored"), ValuationVerdict.Unknown],
    },
  ];

  for (const pair of PAIRS) {
    const named = lowestOf(pair.codes);
    it(`${pair.name}: ${pair.codes.join(" + ")} → ${named}`, async () => {
      const f = await loadFixture(deployRegistryFixture);
      const args = await pair.arrange(f);
      const listed = (await f.pledgeLens.evaluate(...args)).map((x) => REASON_CODES[Number(x.reason)]);
      expect(listed, "the preflight lists both").to.include.members(pair.codes);
      await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args))
        .to.be.revertedWithCustomError(f.pledgeRegistry, SPEC_RULES[named].error)
        .withArgs(...pair.args(f));
    });
  }

  it("a signature problem comes before every rule: a forged pledgee signature on a lone non-holder's application", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const terms = termsFor(f, { pledgors: [f.signers.carol.address] });
    const [, pledgors] = await consentsFor(f, terms, [f.signers.carol]);
    const forged = await signApplication(f.pledgeRegistry, f.signers.outsider, terms);
    await expect(f.pledgeRegistry.submitApplication(terms, pledgors, forged))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
      .withArgs(f.signers.bank.address);
  });

  it("at registration: the holder changed to someone else and the asset lapsed → PLEDGOR_NOT_HOLDER", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
    await office(f).recordHolders(
      f.assets.soloPatent,
      [{ holder: f.signers.carol.address, shareBps: 10_000 }],
      docHash("assignment"),
    );
    await lapse(f, f.assets.soloPatent);
    const codes: RuleCode[] = ["PLEDGOR_NOT_HOLDER", "ASSET_NOT_IN_FORCE", "CO_OWNER_CONSENT_MISSING"];
    const listed = (await f.pledgeLens.evaluatePending(pledgeId)).map((x) => REASON_CODES[Number(x.reason)]);
    expect(listed).to.have.members(codes);
    expect(lowestOf(codes)).to.equal("PLEDGOR_NOT_HOLDER");
    await expect(f.pledgeRegistry.connect(f.signers.registrar).register(pledgeId))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgorNotHolder")
      .withArgs(f.signers.alice.address);
  });

  it("on a change: the pledgor no longer holds the asset and its new holder did not sign → PLEDGOR_NOT_HOLDER", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const pledgeId = await registeredPledge(f);
    await office(f).recordHolders(
      f.assets.soloPatent,
      [{ holder: f.signers.bob.address, shareBps: 10_000 }],
      docHash("assignment"),
    );
    const change = { pledgeId, principal: f.principal, maturityDate: f.now + YEAR, pledgee: f.signers.bank.address };
    expect(lowestOf(["PLEDGOR_NOT_HOLDER", "CO_OWNER_CONSENT_MISSING"])).to.equal("PLEDGOR_NOT_HOLDER");
    await expect(
      f.pledgeRegistry.change(pledgeId, change, {
        pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, change)],
        pledgee: await signChange(f.pledgeRegistry, f.signers.bank, change),
        newPledgee: NO_CONSENT,
      }),
    )
      .to.be.revertedWithCustomError(f.pledgeRegistry, "PledgorNotHolder")
      .withArgs(f.signers.alice.address);
  });
});
