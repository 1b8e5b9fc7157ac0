/**
 * What the page signs: the register's EIP-712 types as the contracts define them (definitions/typedData.ts and
 * definitions/valuationTypedData.ts, definitions/licenceTypedData.ts, the one definition — imported, not copied): a
 * pledge party's consents, an evaluator's anchoring, batch and revocation, and a licensor's or licensee's consent. A request from the gateway is signed only if its types are exactly
 * those, its domain is the one of the contract that type is for and its `signer` is the key that signs; the page
 * then signs its own copy of the types, so what it showed in words is what is signed.
 */
import { EIP712_DOMAINS, type SigningContract } from "../../../definitions/domains";
import { pledgeRegisterTypes } from "../../../definitions/typedData";
import {
  batchAnchoringTypes,
  batchRevocationTypes,
  reportAnchoringTypes,
  reportRevocationTypes,
} from "../../../definitions/valuationTypedData";
import { firstLicenceGrantTypes, subLicenceGrantTypes } from "../../../definitions/licenceTypedData";

import type { TypedData, TypedField } from "./wireTypedData";

export type { TypedData, TypedField } from "./wireTypedData";

/** The register's types by primary type. */
export const REGISTER_TYPES: Record<string, Record<string, TypedField[]>> = {
  ...pledgeRegisterTypes,
  ReportAnchoring: reportAnchoringTypes,
  ReportRevocation: reportRevocationTypes,
  BatchAnchoring: batchAnchoringTypes,
  BatchRevocation: batchRevocationTypes,
  FirstLicenceGrant: firstLicenceGrantTypes,
  SubLicenceGrant: subLicenceGrantTypes,
};

/** The contract each primary type is signed for (its EIP-712 domain); the pledge register's unless listed. */
const CONTRACT_OF: Record<string, SigningContract> = {
  ReportAnchoring: "valuationRegistry",
  ReportRevocation: "valuationRegistry",
  BatchAnchoring: "valuationRegistry",
  BatchRevocation: "valuationRegistry",
  FirstLicenceGrant: "licenceRegistry",
  SubLicenceGrant: "licenceRegistry",
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
  const { name, version } = EIP712_DOMAINS[CONTRACT_OF[data.primaryType] ?? "pledgeRegistry"];
  if (data.domain.name !== name || data.domain.version !== version) return "wrongDomain";
  if (String(data.message.signer ?? "").toLowerCase() !== signer.toLowerCase()) return "otherSigner";
  return null;
}

/** The request with the register's own types (what is actually signed). */
export const asRegisterSigns = (data: TypedData): TypedData => ({
  ...data,
  types: REGISTER_TYPES[data.primaryType],
});
