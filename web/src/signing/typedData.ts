/**
 * What the page signs: the register's EIP-712 types as the contracts define them (definitions/typedData.ts and
 * definitions/valuationTypedData.ts, the one definition — imported, not copied): a pledge party's consents and an
 * evaluator's anchoring, batch and revocation. A request from the gateway is signed only if its types are exactly
 * those, its domain is the one of the contract that type is for and its `signer` is the key that signs; the page
 * then signs its own copy of the types, so what it showed in words is what is signed.
 */
import {
  DOMAIN_NAME,
  DOMAIN_VERSION,
  pledgeApplicationTypes,
  pledgeChangeTypes,
  pledgeDefaultTypes,
  pledgeDisposalTypes,
  pledgeReleaseTypes,
  pledgeWithdrawalTypes,
} from "../../../definitions/typedData";
import {
  VALUATION_DOMAIN_NAME,
  VALUATION_DOMAIN_VERSION,
  batchAnchoringTypes,
  batchRevocationTypes,
  reportAnchoringTypes,
  reportRevocationTypes,
} from "../../../definitions/valuationTypedData";

import type { TypedData, TypedField } from "./wireTypedData";

export type { TypedData, TypedField } from "./wireTypedData";

/** The register's types by primary type. */
export const REGISTER_TYPES: Record<string, Record<string, TypedField[]>> = {
  PledgeApplication: pledgeApplicationTypes,
  PledgeChange: pledgeChangeTypes,
  PledgeRelease: pledgeReleaseTypes,
  PledgeDefault: pledgeDefaultTypes,
  PledgeDisposal: pledgeDisposalTypes,
  PledgeWithdrawal: pledgeWithdrawalTypes,
  ReportAnchoring: reportAnchoringTypes,
  ReportRevocation: reportRevocationTypes,
  BatchAnchoring: batchAnchoringTypes,
  BatchRevocation: batchRevocationTypes,
};

/** The contract each primary type is signed for (its EIP-712 domain's name and version). */
const PLEDGE_DOMAIN = { name: DOMAIN_NAME, version: DOMAIN_VERSION };
const VALUATION_DOMAIN = { name: VALUATION_DOMAIN_NAME, version: VALUATION_DOMAIN_VERSION };
const DOMAIN_OF: Record<string, { name: string; version: string }> = {
  ReportAnchoring: VALUATION_DOMAIN,
  ReportRevocation: VALUATION_DOMAIN,
  BatchAnchoring: VALUATION_DOMAIN,
  BatchRevocation: VALUATION_DOMAIN,
};

const sameTypes = (a: Record<string, TypedField[]>, b: Record<string, TypedField[]>) => {
  const keys = Object.keys(a).sort();
  if (keys.join() !== Object.keys(b).sort().join()) return false;
  return keys.every(
    (k) => a[k].length === b[k].length && a[k].every((f, i) => f.name === b[k][i]?.name && f.type === b[k][i]?.type),
  );
};

/** Why the page will not sign this request (a problem code for i18n), or null when it may. */
export function signingProblem(
  data: TypedData,
  signer: string,
): "unknownType" | "typesDiffer" | "wrongDomain" | "otherSigner" | null {
  const types = REGISTER_TYPES[data.primaryType];
  if (!types) return "unknownType";
  if (!sameTypes(types, data.types)) return "typesDiffer";
  const domain = DOMAIN_OF[data.primaryType] ?? PLEDGE_DOMAIN;
  if (data.domain.name !== domain.name || data.domain.version !== domain.version) return "wrongDomain";
  if (String(data.message.signer ?? "").toLowerCase() !== signer.toLowerCase()) return "otherSigner";
  return null;
}

/** The request with the register's own types (what is actually signed). */
export const asRegisterSigns = (data: TypedData): TypedData => ({
  ...data,
  types: REGISTER_TYPES[data.primaryType],
});
