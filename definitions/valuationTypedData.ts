/**
 * Valuation reports as the evaluator signs them and as batch leaves commit to them; mirrors
 * contracts/libraries/ValuationTypedData.sol. Batches are OpenZeppelin StandardMerkleTrees over each report's
 * EIP-712 struct hash, so a leaf is keccak256(keccak256(structHash)) and proofs verify with OZ MerkleProof.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { TypedDataEncoder, type TypedDataField } from "ethers";
import { consentFields } from "./typedData";

export const ValuationMethod = { Income: 0, Market: 1, Cost: 2, BankInternal: 3 } as const;
export const ReportStatus = { None: 0, Anchored: 1, Revoked: 2, Superseded: 3 } as const;

export interface ValuationReport {
  documentHash: string;
  evaluator: string;
  assetIds: string[];
  value: bigint;
  currency: string;
  method: number;
  valuationDate: bigint | number;
  validUntil: bigint | number;
  supersedes: string;
  uri: string;
}

export const ValuationReportType: TypedDataField[] = [
  { name: "documentHash", type: "bytes32" },
  { name: "evaluator", type: "address" },
  { name: "assetIds", type: "bytes32[]" },
  { name: "value", type: "uint256" },
  { name: "currency", type: "bytes3" },
  { name: "method", type: "uint8" },
  { name: "valuationDate", type: "uint40" },
  { name: "validUntil", type: "uint40" },
  { name: "supersedes", type: "bytes32" },
  { name: "uri", type: "string" },
];

export const reportAnchoringTypes: Record<string, TypedDataField[]> = {
  ReportAnchoring: [{ name: "report", type: "ValuationReport" }, ...consentFields],
  ValuationReport: ValuationReportType,
};

export const batchAnchoringTypes: Record<string, TypedDataField[]> = {
  BatchAnchoring: [{ name: "root", type: "bytes32" }, { name: "reportCount", type: "uint32" }, ...consentFields],
};

export const batchRevocationTypes: Record<string, TypedDataField[]> = {
  BatchRevocation: [{ name: "root", type: "bytes32" }, { name: "reason", type: "string" }, ...consentFields],
};

export const reportRevocationTypes: Record<string, TypedDataField[]> = {
  ReportRevocation: [{ name: "documentHash", type: "bytes32" }, { name: "reason", type: "string" }, ...consentFields],
};

/** The EIP-712 struct hash of a report (what every leaf and signature starts from). */
export function reportStructHash(report: ValuationReport): string {
  return TypedDataEncoder.from({ ValuationReport: ValuationReportType }).hash(report);
}

/** A batch of reports: its Merkle root, and each report's proof by document hash. */
export interface ReportBatchTree {
  root: string;
  proofOf(documentHash: string): string[];
  tree: StandardMerkleTree<[string]>;
}

export function buildReportBatch(reports: ValuationReport[]): ReportBatchTree {
  const tree = StandardMerkleTree.of(
    reports.map((r) => [reportStructHash(r)] as [string]),
    ["bytes32"],
  );
  const indexOf = new Map(reports.map((r, i) => [r.documentHash.toLowerCase(), i]));
  return {
    root: tree.root,
    tree,
    proofOf(documentHash: string) {
      const i = indexOf.get(documentHash.toLowerCase());
      if (i === undefined) throw new Error(`report ${documentHash} is not in this batch`);
      return tree.getProof(i);
    },
  };
}
