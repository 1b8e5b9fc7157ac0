/**
 * Helpers of the licence registry tests (SPEC §6 steps 1–2): the licensing fixture plus a solo patent and a
 * co-owned patent not yet licensed, terms builders, and consents signed with a chosen nonce, deadline or domain.
 */
import type { Signer, TypedDataDomain } from "ethers";
import {
  firstLicenceGrantTypes,
  subLicenceGrantTypes,
  type FirstLicenceTerms,
  type Instalment,
  type SubLicenceTerms,
} from "../../definitions/licenceTypedData";
import { cny } from "../../definitions/riskSchemes";
import type { Consent } from "../../definitions/typedData";
import type { LicenceRegistry } from "../../typechain-types";
import { calendar, deployLicensingFixture } from "./poolFixture";
import { AssetKind, YEAR, docHash } from "./registryFixture";
import { deployedDomain, signConsent } from "./consent";

export { NO_CONSENT } from "../../definitions/typedData";

/** Kept apart from the nonces poolFixture.ts signs with, so that no test collides with the fixture's own. */
let nextNonce = 9_000_000n;
export const freshNonce = () => nextNonce++;

export interface SignOptions {
  nonce?: bigint;
  deadline?: bigint;
  domain?: TypedDataDomain;
}

async function sign(
  registry: LicenceRegistry,
  signer: Signer,
  types: typeof firstLicenceGrantTypes,
  message: object,
  options: SignOptions,
): Promise<Consent> {
  // Take the nonce before any await, so that signatures made in parallel get their nonces in call order.
  const nonce = options.nonce ?? freshNonce();
  const domain = options.domain ?? (await deployedDomain("licenceRegistry", registry));
  return signConsent(signer, domain, types, message, nonce, options.deadline);
}

export const signFirstGrant = (
  registry: LicenceRegistry,
  signer: Signer,
  terms: FirstLicenceTerms,
  options: SignOptions = {},
) => sign(registry, signer, firstLicenceGrantTypes, terms, options);

export const signSubGrant = (
  registry: LicenceRegistry,
  signer: Signer,
  terms: SubLicenceTerms,
  options: SignOptions = {},
) => sign(registry, signer, subLicenceGrantTypes, terms, options);

export async function licenceFixture() {
  const f = await deployLicensingFixture();
  const { registrar, patentee, licensees } = f.signers;
  const [coOwner, stranger] = licensees.slice(8);
  const term = { grantDate: f.now - YEAR, expiryDate: f.now + 12n * YEAR, feesPaidUntil: f.now + YEAR };

  /** Record an invention patent with the given holders (and term); returns its id. */
  const recordPatent = async (
    officialNumber: string,
    holders: { holder: string; shareBps: number }[],
    t: { grantDate: bigint; expiryDate: bigint; feesPaidUntil: bigint } = term,
  ) => {
    await f.assetRegister
      .connect(registrar)
      .recordAsset(
        AssetKind.InventionPatent,
        officialNumber,
        holders,
        t.grantDate,
        t.expiryDate,
        t.feesPaidUntil,
        docHash(officialNumber),
      );
    return f.assetRegister.assetIdOf(AssetKind.InventionPatent, officialNumber);
  };
  const soloPatent = await recordPatent("ZL202310000003.3", [{ holder: patentee.address, shareBps: 10_000 }]);
  const coOwnedPatent = await recordPatent("ZL202310000004.4", [
    { holder: patentee.address, shareBps: 7_000 },
    { holder: coOwner.address, shareBps: 3_000 },
  ]);

  return {
    ...f,
    signers: { ...f.signers, coOwner, stranger },
    assets: { soloPatent, coOwnedPatent },
    expiryDate: term.expiryDate,
    recordPatent,
  };
}

export type LicenceFixture = Awaited<ReturnType<typeof licenceFixture>>;

/** The patentee licenses its solo patent to the originator for five years; override what a test needs. */
export function firstTermsFor(f: LicenceFixture, overrides: Partial<FirstLicenceTerms> = {}): FirstLicenceTerms {
  return {
    assetIds: [f.assets.soloPatent],
    licensors: [f.signers.patentee.address],
    licensee: f.signers.originator.address,
    exclusive: true,
    subLicensable: true,
    upfrontFee: cny(5_000_000),
    startDate: f.now,
    endDate: f.now + 5n * YEAR,
    contractHash: docHash("first licence of ZL202310000003.3"),
    ...overrides,
  };
}

/** Four quarterly instalments of 250,000 CNY over the first year. */
export const quarterlySchedule = (f: LicenceFixture): Instalment[] =>
  calendar(f.now, 4).map((dueDate) => ({ dueDate, amount: cny(250_000) }));

/** The originator sub-licenses the fixture's first licence to `licensee` for two years; override what a test needs. */
export function subTermsFor(
  f: LicenceFixture,
  licensee: string,
  overrides: Partial<SubLicenceTerms> = {},
): SubLicenceTerms {
  return {
    firstLicenceId: f.firstLicenceId,
    licensee,
    schedule: quarterlySchedule(f),
    startDate: f.now,
    endDate: f.now + 2n * YEAR,
    contractHash: docHash(`sub-licence to ${licensee}`),
    ...overrides,
  };
}

/** The terms as the event's tuple decodes them (field order of the Solidity structs). */
export const firstTermsTuple = (t: FirstLicenceTerms) => [
  t.assetIds,
  t.licensors,
  t.licensee,
  t.exclusive,
  t.subLicensable,
  t.upfrontFee,
  t.startDate,
  t.endDate,
  t.contractHash,
];
export const subTermsTuple = (t: SubLicenceTerms) => [
  t.firstLicenceId,
  t.licensee,
  t.schedule.map((i) => [i.dueDate, i.amount]),
  t.startDate,
  t.endDate,
  t.contractHash,
];
