// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {IValuationVerifier} from "../interfaces/IValuationVerifier.sol";
import {ValuationVerdict} from "../types/Valuation.sol";

/// @notice Test stand-in for the valuation registry: a report is valid for exactly the assets it was given, until
/// the test says otherwise.
contract MockValuationVerifier is IValuationVerifier {
    mapping(bytes32 reportId => bool known) public known;
    mapping(bytes32 reportId => ValuationVerdict verdict) public forcedVerdict;
    mapping(bytes32 reportId => mapping(bytes32 assetId => bool covered)) public covers;

    function setReport(bytes32 reportId, bytes32[] calldata assetIds) external {
        known[reportId] = true;
        for (uint256 i; i < assetIds.length; ++i) {
            covers[reportId][assetIds[i]] = true;
        }
    }

    function setVerdict(bytes32 reportId, ValuationVerdict verdict) external {
        forcedVerdict[reportId] = verdict;
    }

    function verdictFor(bytes32 reportId, bytes32[] calldata assetIds) external view returns (ValuationVerdict) {
        if (!known[reportId]) return ValuationVerdict.Unknown;
        if (forcedVerdict[reportId] != ValuationVerdict.Valid) return forcedVerdict[reportId];
        for (uint256 i; i < assetIds.length; ++i) {
            if (!covers[reportId][assetIds[i]]) return ValuationVerdict.AssetNotCovered;
        }
        return ValuationVerdict.Valid;
    }
}
