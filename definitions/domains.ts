/**
 * The EIP-712 domains of the contracts that take the parties' signatures: the one place their names and versions
 * are written outside Solidity (each contract passes the same pair to PartyConsent in its constructor; the tests
 * sign with these and the contracts verify, so a difference fails them), and the one domain builder.
 */

/** Each signing contract's domain name and version, by its key in a deployment's `contracts`. */
export const EIP712_DOMAINS = {
  pledgeRegistry: { name: "IPPledgeRegistry", version: "1" },
  valuationRegistry: { name: "IPValuationRegistry", version: "1" },
  licenceRegistry: { name: "IPLicenceRegistry", version: "1" },
} as const;

export type SigningContract = keyof typeof EIP712_DOMAINS;

/** The EIP-712 domain of `contract` deployed at `verifyingContract` on chain `chainId` (a bigint or a JSON number). */
export function domainOf<C extends bigint | number>(contract: SigningContract, chainId: C, verifyingContract: string) {
  const { name, version } = EIP712_DOMAINS[contract];
  return { name, version, chainId, verifyingContract };
}
