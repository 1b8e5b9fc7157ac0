// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @notice What the valuation registry says of a report relied on for a set of assets, at a moment.
enum ValuationVerdict {
    Valid,
    Unknown,
    Revoked,
    Superseded,
    Expired,
    AssetNotCovered
}

/// @notice How the value was reached (SPEC §5).
enum ValuationMethod {
    Income,
    Market,
    Cost,
    BankInternal // a bank's internal valuation unit (内评法)
}

/// @notice A report's state in the register. Expiry is not a state: it follows from `validUntil`.
enum ReportStatus {
    None,
    Anchored,
    Revoked,
    Superseded
}

/// @notice A valuation report as the evaluator signs it and as a batch leaf commits to it. The report is identified
/// by `documentHash`, the SHA-256 of the report file: anyone holding the file can find it.
struct ValuationReport {
    bytes32 documentHash;
    address evaluator;
    bytes32[] assetIds;
    uint256 value; // in the currency's smallest unit
    bytes3 currency; // ISO 4217
    ValuationMethod method;
    uint40 valuationDate;
    uint40 validUntil; // the report may be relied on up to and including this second
    bytes32 supersedes; // the documentHash of the report this one replaces, or 0
    string uri; // where the file can be fetched (optional)
}

/// @notice What the register keeps of a report: one slot, plus one slot per covered asset. Value, currency, method,
/// valuation date and URI are in the `ReportAnchored` event (reconstructable, not needed by any rule).
struct ReportRecord {
    address evaluator;
    ReportStatus status;
    uint8 assetCount;
    uint40 validUntil;
    uint40 anchoredAt;
}

/// @notice A Merkle root over many reports of one evaluator, anchored in one transaction. A batch is identified by
/// its evaluator and its root, so no one can block an evaluator's batch by anchoring the same root first.
/// `reportCount` is the evaluator's statement, not checked against the tree.
struct ReportBatch {
    uint40 anchoredAt; // 0 = no such batch
    uint32 reportCount;
    bool revoked; // no report of it can be materialised any more
}
