/**
 * What a registration office expects of licences beyond the SPEC's letter: an exclusive licence admits no other
 * licence over the same asset and period; terms never list an asset or a licensor twice; an originator whose role
 * was withdrawn can no longer sub-license or assign receivables.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Roles } from "../definitions/roles";
import { YEAR } from "./helpers/registryFixture";
import {
  firstTermsFor,
  licenceFixture,
  quarterlySchedule,
  signFirstGrant,
  signSubGrant,
  subTermsFor,
  type LicenceFixture,
} from "./helpers/licensing";
import type { FirstLicenceTerms } from "../definitions/licenceTypedData";

async function grant(f: LicenceFixture, overrides: Partial<FirstLicenceTerms>) {
  const terms = firstTermsFor(f, overrides);
  return f.licenceRegistry
    .connect(f.signers.originator)
    .recordFirstLicence(terms, [await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms)]);
}

describe("LicenceRegistry — exclusivity and clean terms", () => {
  describe("exclusive licences", () => {
    it("refuses a second exclusive licence over an asset already under one", async () => {
      const f = await loadFixture(licenceFixture);
      await grant(f, {});
      await expect(grant(f, { startDate: f.now + YEAR }))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceConflict")
        .withArgs(f.assets.soloPatent, f.now + 5n * YEAR);
    });

    it("refuses a non-exclusive licence while an exclusive one runs", async () => {
      const f = await loadFixture(licenceFixture);
      await grant(f, {});
      await expect(grant(f, { exclusive: false, startDate: f.now + 2n * YEAR, endDate: f.now + 3n * YEAR }))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceConflict")
        .withArgs(f.assets.soloPatent, f.now + 5n * YEAR);
    });

    it("refuses an exclusive licence over an asset already licensed non-exclusively", async () => {
      const f = await loadFixture(licenceFixture);
      await grant(f, { exclusive: false, endDate: f.now + 2n * YEAR });
      await expect(grant(f, { startDate: f.now + YEAR }))
        .to.be.revertedWithCustomError(f.licenceRegistry, "LicenceConflict")
        .withArgs(f.assets.soloPatent, f.now + 2n * YEAR);
    });

    it("allows several non-exclusive licences at once, and a new licence once the exclusive one has ended", async () => {
      const f = await loadFixture(licenceFixture);
      await grant(f, { exclusive: false, endDate: f.now + 2n * YEAR });
      await expect(grant(f, { exclusive: false, endDate: f.now + 3n * YEAR })).to.emit(
        f.licenceRegistry,
        "FirstLicenceRecorded",
      );
      await expect(grant(f, { startDate: f.now + 3n * YEAR, endDate: f.now + 4n * YEAR })).to.emit(
        f.licenceRegistry,
        "FirstLicenceRecorded",
      );
      await expect(grant(f, { startDate: f.now + 4n * YEAR, endDate: f.now + 5n * YEAR })).to.emit(
        f.licenceRegistry,
        "FirstLicenceRecorded",
      );
    });
  });

  describe("clean terms", () => {
    it("refuses an asset listed twice", async () => {
      const f = await loadFixture(licenceFixture);
      await expect(grant(f, { assetIds: [f.assets.soloPatent, f.assets.soloPatent] })).to.be.revertedWithCustomError(
        f.licenceRegistry,
        "LicenceTermsInvalid",
      );
    });

    it("refuses a licensor listed twice", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = firstTermsFor(f, { licensors: [f.signers.patentee.address, f.signers.patentee.address] });
      const consent = await signFirstGrant(f.licenceRegistry, f.signers.patentee, terms);
      await expect(
        f.licenceRegistry.connect(f.signers.originator).recordFirstLicence(terms, [consent, consent]),
      ).to.be.revertedWithCustomError(f.licenceRegistry, "LicenceTermsInvalid");
    });

    it("refuses a licence starting at time zero", async () => {
      const f = await loadFixture(licenceFixture);
      await expect(grant(f, { startDate: 0 })).to.be.revertedWithCustomError(f.licenceRegistry, "LicenceTermsInvalid");
    });
  });

  describe("an originator whose role was withdrawn", () => {
    it("can no longer sub-license or assign receivables to a pool", async () => {
      const f = await loadFixture(licenceFixture);
      const terms = subTermsFor(f, f.signers.licensees[0].address, { schedule: quarterlySchedule(f) });
      const consent = await signSubGrant(f.licenceRegistry, f.signers.licensees[0], terms);
      await f.licenceRegistry.connect(f.signers.originator).recordSubLicence(terms, consent);
      const subId = await f.licenceRegistry.lastLicenceId();
      await f.accessManager.connect(f.signers.admin).revokeRole(Roles.ORIGINATOR, f.signers.originator.address);

      const second = subTermsFor(f, f.signers.licensees[1].address, { schedule: quarterlySchedule(f) });
      const secondConsent = await signSubGrant(f.licenceRegistry, f.signers.licensees[1], second);
      await expect(f.licenceRegistry.connect(f.signers.originator).recordSubLicence(second, secondConsent))
        .to.be.revertedWithCustomError(f.licenceRegistry, "NotLicensor")
        .withArgs(f.firstLicenceId, f.signers.originator.address);
      await expect(f.licenceRegistry.connect(f.signers.originator).assignToPool(subId, f.signers.outsider.address))
        .to.be.revertedWithCustomError(f.licenceRegistry, "NotLicensor")
        .withArgs(subId, f.signers.originator.address);
    });
  });
});
