/**
 * A party's EIP-712 consent, as every registry contract takes it: a signature over the action's fields plus
 * (signer, nonce, deadline). Each registry's helpers only choose the domain, the types and the nonce.
 */
import { ethers } from "hardhat";
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";
import type { Consent } from "../../definitions/typedData";
import { domainOf, type SigningContract } from "../../definitions/domains";

/** The EIP-712 domain of `contract` as deployed at `at` on the chain the tests run on. */
export async function deployedDomain(contract: SigningContract, at: { getAddress(): Promise<string> }) {
  const { chainId } = await ethers.provider.getNetwork();
  return domainOf(contract, chainId, await at.getAddress());
}

/** A deadline far enough ahead for any test (2^40 seconds is in the year 36812). */
export const FAR_DEADLINE = 2n ** 40n;

export async function signConsent(
  signer: Signer,
  domain: TypedDataDomain,
  types: Record<string, TypedDataField[]>,
  message: object,
  nonce: bigint,
  deadline: bigint = FAR_DEADLINE,
): Promise<Consent> {
  const signature = await signer.signTypedData(domain, types, {
    ...message,
    signer: await signer.getAddress(),
    nonce,
    deadline,
  });
  return { nonce, deadline, signature };
}
