// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Consent} from "../types/Pledge.sol";
import {ReportBatch, ReportRecord, ValuationReport} from "../types/Valuation.sol";
import {IPartyConsent} from "./IPartyConsent.sol";
import {IValuationVerifier} from "./IValuationVerifier.sol";

/// @title Valuation reports anchored on chain (SPEC §5): single, signed and relayed, or batched under a Merkle root;
/// revocable and supersedable; looked up by the SHA-256 of the report file.
interface IValuationRegistry is IValuationVerifier, IPartyConsent {
    // ───────────── events ─────────────
    /// @notice A report was anchored, singly (`batchRoot` 0) or materialised from its evaluator's batch `batchRoot`.
    event ReportAnchored(
        bytes32 indexed documentHash, address indexed evaluator, bytes32 indexed batchRoot, ValuationReport report
    );
    /// @notice A Merkle root over `reportCount` reports of `evaluator` was anchored.
    event BatchAnchored(bytes32 indexed root, address indexed evaluator, uint32 reportCount);
    /// @notice `evaluator`'s batch was revoked by `revokedBy` (the evaluator or the registrar): none of its reports not
    /// yet materialised can be any more. Reports already materialised are revoked one by one.
    event BatchRevoked(bytes32 indexed root, address indexed evaluator, address indexed revokedBy, string reason);
    /// @notice A report was revoked by `revokedBy` (its evaluator or the registrar).
    event ReportRevoked(bytes32 indexed documentHash, address indexed revokedBy, string reason);
    /// @notice A report was replaced by a newer one for the same assets.
    event ReportSuperseded(bytes32 indexed documentHash, bytes32 indexed supersededBy);

    // ───────────── errors ─────────────
    /// @notice A report with this document hash is already anchored: the same document cannot be anchored twice.
    error ReportAlreadyAnchored(bytes32 documentHash);
    /// @notice No report with this document hash is anchored.
    error ReportNotAnchored(bytes32 documentHash);
    /// @notice The report's fields are not sensible: zero document hash, zero value, no assets or too many, a
    /// duplicated asset, a validity that ends before the valuation date, or a valuation date in the future.
    error ReportInvalid(bytes32 documentHash);
    /// @notice `evaluator` is not a licensed evaluator.
    error EvaluatorNotLicensed(address evaluator);
    /// @notice The report is revoked or superseded already.
    error ReportNotCurrent(bytes32 documentHash);
    /// @notice A newer report can only supersede a current report of the same evaluator covering no asset it omits.
    error SupersessionInvalid(bytes32 documentHash, bytes32 supersedes);
    /// @notice The evaluator has no batch with this root.
    error BatchNotFound(address evaluator, bytes32 root);
    /// @notice The evaluator has already anchored a batch with this root.
    error BatchAlreadyAnchored(address evaluator, bytes32 root);
    /// @notice The batch was revoked.
    error BatchRevokedAlready(address evaluator, bytes32 root);
    /// @notice The batch root is zero or the batch is empty.
    error BatchInvalid();
    /// @notice The report is not in its evaluator's batch: the proof does not lead from its leaf to the root.
    error ReportNotInBatch(bytes32 root, bytes32 documentHash);

    // ───────────── actions ─────────────
    /// @notice Anchor a report sent by its evaluator (`report.evaluator` must be the sender).
    /// @dev Licensed evaluators only.
    function anchor(ValuationReport calldata report) external;

    /// @notice Anchor a report relayed with its evaluator's EIP-712 `ReportAnchoring` signature (nonce + deadline).
    function anchorSigned(ValuationReport calldata report, Consent calldata evaluatorConsent) external;

    /// @notice Anchor a Merkle root over `reportCount` reports of the sending evaluator.
    /// @dev Licensed evaluators only.
    function anchorBatch(bytes32 root, uint32 reportCount) external;

    /// @notice Anchor a batch root relayed with the evaluator's EIP-712 `BatchAnchoring` signature.
    function anchorBatchSigned(bytes32 root, uint32 reportCount, address evaluator, Consent calldata evaluatorConsent)
        external;

    /// @notice Record a report of a batch in the register, as if anchored singly, with its Merkle proof; the batch is
    /// the one `report.evaluator` anchored under `root`. Anyone may call it, once per report, while the batch is not
    /// revoked; the report counts as anchored when its batch was.
    function materialise(bytes32 root, ValuationReport calldata report, bytes32[] calldata proof) external;

    /// @notice Revoke a report for `reason`; its evaluator consents (by sending the transaction or by signature).
    function revoke(bytes32 documentHash, string calldata reason, Consent calldata evaluatorConsent) external;

    /// @notice Revoke a report for `reason` as the registration office (e.g. the evaluator lost its licence).
    /// @dev Registrar only.
    function revokeAsRegistrar(bytes32 documentHash, string calldata reason) external;

    /// @notice Revoke a whole batch for `reason`, so that none of its reports can be materialised any more; its
    /// evaluator consents (by sending the transaction or by signature `BatchRevocation`).
    function revokeBatch(address evaluator, bytes32 root, string calldata reason, Consent calldata evaluatorConsent)
        external;

    /// @notice Revoke a whole batch as the registration office (e.g. the evaluator lost its licence).
    /// @dev Registrar only.
    function revokeBatchAsRegistrar(address evaluator, bytes32 root, string calldata reason) external;

    // ───────────── views ─────────────
    /// @notice What the register keeps of a report, the root of the batch it came from (0 = anchored singly) and the
    /// report that superseded it (0 = none). A record with `status` None means the document was never anchored (or
    /// is in a batch but not materialised: check it with `verifyInBatch`).
    function reportOf(bytes32 documentHash)
        external
        view
        returns (ReportRecord memory record, bytes32 batchRoot, bytes32 supersededBy);

    /// @notice Whether the report covers the asset.
    function covers(bytes32 documentHash, bytes32 assetId) external view returns (bool);

    /// @notice The evaluator's batch with this root (`anchoredAt` 0 if none).
    function batchOf(address evaluator, bytes32 root) external view returns (ReportBatch memory);

    /// @notice Whether `report` is in its evaluator's batch `root` by `proof` (without materialising it). True also
    /// for a revoked batch: the proof shows what was anchored; `batchOf` shows whether it still counts.
    function verifyInBatch(bytes32 root, ValuationReport calldata report, bytes32[] calldata proof)
        external
        view
        returns (bool);

    /// @notice The Merkle leaf of a report: keccak256(keccak256(the report's EIP-712 struct hash)). A leaf hashes 32
    /// bytes and an inner node 64, so a leaf can never pass for a node (no second preimage).
    function leafOf(ValuationReport calldata report) external pure returns (bytes32);

    /// @notice The EIP-712 struct hash of a report (what the evaluator's signatures cover).
    function reportHash(ValuationReport calldata report) external pure returns (bytes32);
}
