/**
 * What the parties sign, and checking what they signed. The gateway never holds a party's key: for every step it
 * hands each signer EIP-712 typed data (the step's fields plus the signer's own address, nonce and deadline), and
 * takes back the signature. Mirrors scripts/lib/typedData.ts, which mirrors the contracts.
 */
import { randomBytes } from "node:crypto";
import { Contract, TypedDataEncoder, verifyTypedData } from "ethers";
import {
  DOMAIN_NAME,
  DOMAIN_VERSION,
  pledgeApplicationTypes,
  pledgeChangeTypes,
  pledgeDefaultTypes,
  pledgeDisposalTypes,
  pledgeReleaseTypes,
  pledgeWithdrawalTypes,
} from "../../../../scripts/lib/typedData";
import type { Registry } from "../../chain/registry";
import type { SignerRole } from "./schema";

/** How long a party's signature stays usable: a week from when the gateway prepares it (by the chain's clock). */
export const SIGNING_WINDOW_SECONDS = 7n * 86_400n;

const TYPES = {
  PledgeApplication: pledgeApplicationTypes,
  PledgeChange: pledgeChangeTypes,
  PledgeRelease: pledgeReleaseTypes,
  PledgeDefault: pledgeDefaultTypes,
  PledgeDisposal: pledgeDisposalTypes,
  PledgeWithdrawal: pledgeWithdrawalTypes,
};
export type PrimaryType = keyof typeof TYPES;

export interface Party {
  address: string;
  role: SignerRole;
}

/** EIP-712 typed data with every number as a decimal string, so that it travels as JSON unchanged. */
export interface TypedData {
  domain: { name: string; version: string; chainId: number; verifyingContract: string };
  types: Record<string, { name: string; type: string }[]>;
  primaryType: PrimaryType;
  message: Record<string, unknown>;
}

export const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export async function chainNow(registry: Registry): Promise<bigint> {
  return BigInt((await registry.provider.getBlock("latest"))!.timestamp);
}

export function typedDataOf(registry: Registry, primaryType: PrimaryType, message: Record<string, unknown>): TypedData {
  return {
    domain: {
      name: DOMAIN_NAME,
      version: DOMAIN_VERSION,
      chainId: registry.deployment.chainId,
      verifyingContract: registry.deployment.contracts.pledgeRegistry,
    },
    types: TYPES[primaryType],
    primaryType,
    message,
  };
}

/**
 * What each party signs for one action: the action's fields plus its own address, a fresh random nonce (nonces are
 * unordered, so any unused one will do) and a deadline a week ahead of the chain's clock.
 */
export async function signingRequests(
  registry: Registry,
  primaryType: PrimaryType,
  fields: Record<string, unknown>,
  parties: Party[],
) {
  const deadline = ((await chainNow(registry)) + SIGNING_WINDOW_SECONDS).toString();
  return parties.map((party) => {
    const nonce = BigInt(`0x${randomBytes(8).toString("hex")}`).toString();
    const message = { ...fields, signer: party.address, nonce, deadline };
    return { ...party, nonce, deadline, typedData: typedDataOf(registry, primaryType, message) };
  });
}

/** Whether `signature` is `signer`'s over `typedData`: ECDSA recovery, or ERC-1271 for a contract wallet. */
export async function signatureVerifies(registry: Registry, typedData: TypedData, signer: string, signature: string) {
  const { domain, types, message } = typedData;
  try {
    if (same(verifyTypedData(domain, types, message, signature), signer)) return true;
  } catch {
    // not an ECDSA signature at all: a contract wallet may still accept it
  }
  if ((await registry.provider.getCode(signer)) === "0x") return false;
  const wallet = new Contract(signer, ["function isValidSignature(bytes32, bytes) view returns (bytes4)"], {
    provider: registry.provider,
  });
  try {
    return (await wallet.isValidSignature(TypedDataEncoder.hash(domain, types, message), signature)) === "0x1626ba7e";
  } catch {
    return false;
  }
}
