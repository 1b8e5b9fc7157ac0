/**
 * EIP-712 types of the licence registry; mirror contracts/libraries/LicenceTypedData.sol.
 */
import type { TypedDataField } from "ethers";
import { consentFields } from "./typedData";

export interface Instalment {
  dueDate: bigint | number;
  amount: bigint;
}

export interface FirstLicenceTerms {
  assetIds: string[];
  licensors: string[];
  licensee: string;
  exclusive: boolean;
  subLicensable: boolean;
  upfrontFee: bigint;
  startDate: bigint | number;
  endDate: bigint | number;
  contractHash: string;
}

export interface SubLicenceTerms {
  firstLicenceId: bigint;
  licensee: string;
  schedule: Instalment[];
  startDate: bigint | number;
  endDate: bigint | number;
  contractHash: string;
}

export const firstLicenceGrantTypes: Record<string, TypedDataField[]> = {
  FirstLicenceGrant: [
    { name: "assetIds", type: "bytes32[]" },
    { name: "licensors", type: "address[]" },
    { name: "licensee", type: "address" },
    { name: "exclusive", type: "bool" },
    { name: "subLicensable", type: "bool" },
    { name: "upfrontFee", type: "uint256" },
    { name: "startDate", type: "uint40" },
    { name: "endDate", type: "uint40" },
    { name: "contractHash", type: "bytes32" },
    ...consentFields,
  ],
};

export const subLicenceGrantTypes: Record<string, TypedDataField[]> = {
  SubLicenceGrant: [
    { name: "firstLicenceId", type: "uint256" },
    { name: "licensee", type: "address" },
    { name: "schedule", type: "Instalment[]" },
    { name: "startDate", type: "uint40" },
    { name: "endDate", type: "uint40" },
    { name: "contractHash", type: "bytes32" },
    ...consentFields,
  ],
  Instalment: [
    { name: "dueDate", type: "uint40" },
    { name: "amount", type: "uint216" },
  ],
};
