/**
 * The few read functions and events a bank or an auditor needs to check the register directly against the chain,
 * without the gateway and without this repository's build: plain human-readable ABI for ethers v6. The README shows
 * them in use; test/ThirdPartyVerification.test.ts proves they match the deployed contracts.
 */
export const VALUATION_REGISTRY_READ_ABI = [
  "function reportOf(bytes32 documentHash) view returns ((address evaluator, uint8 status, uint8 assetCount, uint40 validUntil, uint40 anchoredAt) record, bytes32 batchRoot, bytes32 supersededBy)",
  "function verdictFor(bytes32 reportId, bytes32[] assetIds) view returns (uint8)",
  "function verifyInBatch(bytes32 root, (bytes32 documentHash, address evaluator, bytes32[] assetIds, uint256 value, bytes3 currency, uint8 method, uint40 valuationDate, uint40 validUntil, bytes32 supersedes, string uri) report, bytes32[] proof) view returns (bool)",
  "event ReportAnchored(bytes32 indexed documentHash, address indexed evaluator, bytes32 indexed batchRoot, (bytes32 documentHash, address evaluator, bytes32[] assetIds, uint256 value, bytes3 currency, uint8 method, uint40 valuationDate, uint40 validUntil, bytes32 supersedes, string uri) report)",
];

export const PLEDGE_REGISTRY_READ_ABI = [
  "function collateralStatusOf(bytes32 assetId) view returns ((bool pledged, uint256 pledgeId, uint8 status, address pledgee, uint256 principal, bytes3 currency, uint40 maturityDate, uint64 registrationNumber, uint40 registeredAt, bytes32 valuationReportId, uint8 valuationVerdict))",
  "event PledgeRegistered(uint256 indexed pledgeId, uint64 indexed registrationNumber, uint40 registeredAt)",
];

export const ASSET_REGISTER_READ_ABI = ["function assetIdOf(uint8 kind, string officialNumber) pure returns (bytes32)"];
