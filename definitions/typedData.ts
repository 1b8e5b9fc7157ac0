/**
 * EIP-712 types the parties sign instead of paper; they mirror contracts/libraries/PledgeTypedData.sol.
 * Every action ends with (signer, nonce, deadline): each party signs its own copy with its own nonce.
 */
import type { TypedDataField } from "ethers";

/** The fields every action type ends with: each party signs its own copy with its own nonce and deadline. */
export const consentFields: TypedDataField[] = [
  { name: "signer", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
];

export const SecuredDebtType: TypedDataField[] = [
  { name: "debtor", type: "bytes32" },
  { name: "principal", type: "uint256" },
  { name: "currency", type: "bytes3" },
  { name: "startDate", type: "uint40" },
  { name: "maturityDate", type: "uint40" },
];

export const PledgeTermsType: TypedDataField[] = [
  { name: "assetIds", type: "bytes32[]" },
  { name: "pledgors", type: "address[]" },
  { name: "pledgee", type: "address" },
  { name: "debt", type: "SecuredDebt" },
  { name: "contractHash", type: "bytes32" },
  { name: "valuationReportId", type: "bytes32" },
  { name: "riskScheme", type: "uint32" },
  { name: "forfeitureClause", type: "bool" },
  { name: "invalidationAcknowledged", type: "bool" },
];

export const pledgeApplicationTypes: Record<string, TypedDataField[]> = {
  PledgeApplication: [{ name: "terms", type: "PledgeTerms" }, ...consentFields],
  PledgeTerms: PledgeTermsType,
  SecuredDebt: SecuredDebtType,
};

export const pledgeChangeTypes: Record<string, TypedDataField[]> = {
  PledgeChange: [
    { name: "pledgeId", type: "uint256" },
    { name: "principal", type: "uint256" },
    { name: "maturityDate", type: "uint40" },
    { name: "pledgee", type: "address" },
    ...consentFields,
  ],
};

export const pledgeWithdrawalTypes: Record<string, TypedDataField[]> = {
  PledgeWithdrawal: [{ name: "pledgeId", type: "uint256" }, ...consentFields],
};

export const pledgeReleaseTypes: Record<string, TypedDataField[]> = {
  PledgeRelease: [{ name: "pledgeId", type: "uint256" }, ...consentFields],
};

export const pledgeDefaultTypes: Record<string, TypedDataField[]> = {
  PledgeDefault: [{ name: "pledgeId", type: "uint256" }, { name: "evidenceHash", type: "bytes32" }, ...consentFields],
};

export const pledgeDisposalTypes: Record<string, TypedDataField[]> = {
  PledgeDisposal: [
    { name: "pledgeId", type: "uint256" },
    { name: "method", type: "uint8" },
    { name: "proceeds", type: "uint256" },
    { name: "transferee", type: "address" },
    { name: "evidenceHash", type: "bytes32" },
    ...consentFields,
  ],
};

/** The pledge register's types by EIP-712 primary type: what the gateway hands out and what the page agrees to sign. */
export const pledgeRegisterTypes = {
  PledgeApplication: pledgeApplicationTypes,
  PledgeChange: pledgeChangeTypes,
  PledgeRelease: pledgeReleaseTypes,
  PledgeDefault: pledgeDefaultTypes,
  PledgeDisposal: pledgeDisposalTypes,
  PledgeWithdrawal: pledgeWithdrawalTypes,
};

export interface SecuredDebt {
  debtor: string;
  principal: bigint;
  currency: string;
  startDate: bigint | number;
  maturityDate: bigint | number;
}

export interface PledgeTerms {
  assetIds: string[];
  pledgors: string[];
  pledgee: string;
  debt: SecuredDebt;
  contractHash: string;
  valuationReportId: string;
  riskScheme: bigint | number;
  forfeitureClause: boolean;
  invalidationAcknowledged: boolean;
}

export interface Consent {
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

/** "No signature": consent only when the party itself sends the transaction. */
export const NO_CONSENT: Consent = { nonce: 0n, deadline: 0n, signature: "0x" };
