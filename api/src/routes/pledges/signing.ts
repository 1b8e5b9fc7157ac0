/**
 * What the parties sign to the pledge register. The gateway never holds a party's key: for every step it hands each
 * signer EIP-712 typed data (the step's fields plus the signer's own address, nonce and deadline), and takes back the
 * signature (checked as every signature draft's is, in ../drafts/signatureDraft.ts). Mirrors definitions/typedData.ts,
 * which mirrors the contracts.
 */
import { domainOf } from "../../../../definitions/domains";
import { pledgeRegisterTypes } from "../../../../definitions/typedData";
import type { Registry } from "../../chain/registry";
import { withNonceAndDeadline, type TypedData as AnyTypedData } from "../drafts/signatureDraft";
import type { SignerRole } from "./schema";

const TYPES = pledgeRegisterTypes;
export type PrimaryType = keyof typeof TYPES;

export interface Party {
  address: string;
  role: SignerRole;
}

/** The pledge register's typed data: one of its own primary types. */
export interface TypedData extends AnyTypedData {
  primaryType: PrimaryType;
}

export function typedDataOf(registry: Registry, primaryType: PrimaryType, message: Record<string, unknown>): TypedData {
  return {
    domain: domainOf("pledgeRegistry", registry.deployment.chainId, registry.deployment.contracts.pledgeRegistry),
    types: TYPES[primaryType],
    primaryType,
    message,
  };
}

/**
 * What each party signs for one action: the action's fields plus its own address, nonce and deadline (fresh ones,
 * as for every signature draft).
 */
export async function signingRequests(
  registry: Registry,
  primaryType: PrimaryType,
  fields: Record<string, unknown>,
  parties: Party[],
) {
  return (await withNonceAndDeadline(registry, parties)).map((party) => {
    const message = { ...fields, signer: party.address, nonce: party.nonce, deadline: party.deadline };
    return { ...party, typedData: typedDataOf(registry, primaryType, message) };
  });
}
