// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ValuationVerdict} from "../types/Valuation.sol";

/// @title What the pledge registry asks of the valuation registry (SPEC §5, rule VALUATION_INVALID).
interface IValuationVerifier {
    /// @notice The verdict on a report relied on for a set of assets, now: it must be anchored, neither revoked
    /// nor superseded, inside its validity window, and it must value every one of the assets.
    /// @param reportId The report's id in the valuation registry.
    /// @param assetIds The assets the pledge covers.
    /// @return verdict `Valid`, or the first reason the report cannot be relied on.
    function verdictFor(bytes32 reportId, bytes32[] calldata assetIds) external view returns (ValuationVerdict verdict);
}
