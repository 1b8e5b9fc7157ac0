// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @notice What the valuation registry says of a report relied on for a set of assets, at a moment.
enum ValuationVerdict {
    Valid,
    Unknown,
    Revoked,
    Superseded,
    NotYetValid,
    Expired,
    AssetNotCovered
}
