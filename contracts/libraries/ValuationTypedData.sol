// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ValuationReport} from "../types/Valuation.sol";

/// @title EIP-712 types of the valuation registry; the gateway builds the same in `definitions/valuationTypedData.ts`.
library ValuationTypedData {
    string internal constant VALUATION_REPORT_TYPE =
        "ValuationReport(bytes32 documentHash,address evaluator,bytes32[] assetIds,uint256 value,bytes3 currency,"
        "uint8 method,uint40 valuationDate,uint40 validUntil,bytes32 supersedes,string uri)";

    bytes32 internal constant VALUATION_REPORT_TYPEHASH = keccak256(bytes(VALUATION_REPORT_TYPE));
    bytes32 internal constant REPORT_ANCHORING_TYPEHASH = keccak256(
        abi.encodePacked(
            "ReportAnchoring(ValuationReport report,address signer,uint256 nonce,uint256 deadline)",
            VALUATION_REPORT_TYPE
        )
    );
    bytes32 internal constant BATCH_ANCHORING_TYPEHASH = keccak256(
        "BatchAnchoring(bytes32 root,uint32 reportCount,address signer,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant REPORT_REVOCATION_TYPEHASH = keccak256(
        "ReportRevocation(bytes32 documentHash,string reason,address signer,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant BATCH_REVOCATION_TYPEHASH =
        keccak256("BatchRevocation(bytes32 root,string reason,address signer,uint256 nonce,uint256 deadline)");

    /// @notice The EIP-712 struct hash of a report.
    function hashReport(ValuationReport calldata report) internal pure returns (bytes32) {
        bytes memory head = abi.encode(
            VALUATION_REPORT_TYPEHASH,
            report.documentHash,
            report.evaluator,
            keccak256(abi.encodePacked(report.assetIds)),
            report.value,
            report.currency,
            report.method
        );
        return keccak256(
            bytes.concat(
                head,
                abi.encode(report.valuationDate, report.validUntil, report.supersedes, keccak256(bytes(report.uri)))
            )
        );
    }

    /// @notice The batch leaf of a report: the struct hash hashed twice, so a leaf's preimage is 32 bytes and can never
    /// be an inner node's (64 bytes). The same leaf as OpenZeppelin's StandardMerkleTree of `[structHash]` builds.
    function leaf(ValuationReport calldata report) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(hashReport(report)))));
    }
}
