/**
 * Helpers to build, sign and submit pledge applications the way the gateway will: each party signs its own
 * EIP-712 copy; a relayer submits.
 */
import type { Signer } from "ethers";
import { NO_CONSENT, pledgeRegisterTypes, type Consent, type PledgeTerms } from "../../definitions/typedData";
import type { PledgeRegistry } from "../../typechain-types";
import { CNY, DEBTOR, YEAR, docHash, type RegistryFixture } from "./registryFixture";
import { deployedDomain, signConsent } from "./consent";

let nextNonce = 1n;
/** A fresh nonce for every signature in the test run (nonces are unordered; any unused one will do). */
export const freshNonce = () => nextNonce++;
/** Restart the nonce sequence (the gas snapshot needs the same nonces, hence the same storage words, every run). */
export const restartNonces = (from: bigint) => {
  nextNonce = from;
};

export const domainOf = (registry: PledgeRegistry) => deployedDomain("pledgeRegistry", registry);

/** Terms of a one-asset pledge of alice's solo patent to the bank, maturing in a year; override what a test needs. */
export function termsFor(f: RegistryFixture, overrides: Partial<PledgeTerms> = {}): PledgeTerms {
  return {
    assetIds: [f.assets.soloPatent],
    pledgors: [f.signers.alice.address],
    pledgee: f.signers.bank.address,
    debt: { debtor: DEBTOR, principal: f.principal, currency: CNY, startDate: f.now, maturityDate: f.now + YEAR },
    contractHash: docHash("pledge-contract.pdf"),
    valuationReportId: f.reportId,
    riskScheme: 0,
    forfeitureClause: false,
    invalidationAcknowledged: false,
    ...overrides,
  };
}

export interface SignOptions {
  nonce?: bigint;
  deadline?: bigint;
  domain?: Awaited<ReturnType<typeof domainOf>>;
}

async function sign(
  registry: PledgeRegistry,
  signer: Signer,
  types: Record<string, { name: string; type: string }[]>,
  message: Record<string, unknown>,
  options: SignOptions,
): Promise<Consent> {
  // Take the nonce before any await, so that signatures made in parallel get their nonces in call order.
  const nonce = options.nonce ?? freshNonce();
  const domain = options.domain ?? (await domainOf(registry));
  return signConsent(signer, domain, types, message, nonce, options.deadline);
}

export const signApplication = (
  registry: PledgeRegistry,
  signer: Signer,
  terms: PledgeTerms,
  options: SignOptions = {},
) => sign(registry, signer, pledgeRegisterTypes.PledgeApplication, { terms }, options);

export const signChange = (
  registry: PledgeRegistry,
  signer: Signer,
  change: { pledgeId: bigint; principal: bigint; maturityDate: bigint; pledgee: string },
  options: SignOptions = {},
) => sign(registry, signer, pledgeRegisterTypes.PledgeChange, change, options);

export const signWithdrawal = (registry: PledgeRegistry, signer: Signer, pledgeId: bigint, options: SignOptions = {}) =>
  sign(registry, signer, pledgeRegisterTypes.PledgeWithdrawal, { pledgeId }, options);

export const signRelease = (registry: PledgeRegistry, signer: Signer, pledgeId: bigint, options: SignOptions = {}) =>
  sign(registry, signer, pledgeRegisterTypes.PledgeRelease, { pledgeId }, options);

export const signDefault = (
  registry: PledgeRegistry,
  signer: Signer,
  pledgeId: bigint,
  evidenceHash: string,
  options: SignOptions = {},
) => sign(registry, signer, pledgeRegisterTypes.PledgeDefault, { pledgeId, evidenceHash }, options);

export const signDisposal = (
  registry: PledgeRegistry,
  signer: Signer,
  disposal: { pledgeId: bigint; method: number; proceeds: bigint; transferee: string; evidenceHash: string },
  options: SignOptions = {},
) => sign(registry, signer, pledgeRegisterTypes.PledgeDisposal, disposal, options);

/**
 * Every pledgor in `signed` and the pledgee sign; pledgors not in `signed` leave an empty consent.
 * Returns the arguments of submitApplication / evaluate.
 */
export async function consentsFor(
  f: RegistryFixture,
  terms: PledgeTerms,
  signed: Signer[],
  pledgeeSigner: Signer = f.signers.bank,
): Promise<[PledgeTerms, Consent[], Consent]> {
  const signedAddresses = await Promise.all(signed.map((s) => s.getAddress()));
  const pledgorConsents = await Promise.all(
    terms.pledgors.map((p) => {
      const i = signedAddresses.indexOf(p);
      return i < 0 ? NO_CONSENT : signApplication(f.pledgeRegistry, signed[i], terms);
    }),
  );
  return [terms, pledgorConsents, await signApplication(f.pledgeRegistry, pledgeeSigner, terms)];
}

/** Submit through the relayer with every pledgor's and the pledgee's signature; returns the new pledge id. */
export async function submitSigned(
  f: RegistryFixture,
  terms: PledgeTerms,
  pledgorSigners: Signer[],
  pledgeeSigner?: Signer,
) {
  const args = await consentsFor(f, terms, pledgorSigners, pledgeeSigner);
  await f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args);
  return f.pledgeRegistry.lastPledgeId();
}

/** Submit and register alice's solo patent pledge to the bank (or the given terms). */
export async function registeredPledge(
  f: RegistryFixture,
  terms = termsFor(f),
  pledgorSigners: Signer[] = [f.signers.alice],
) {
  const pledgeId = await submitSigned(f, terms, pledgorSigners);
  await f.pledgeRegistry.connect(f.signers.registrar).register(pledgeId);
  return pledgeId;
}

export { NO_CONSENT };
