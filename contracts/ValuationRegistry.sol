// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {PartyConsent} from "./PartyConsent.sol";
import {IValuationRegistry} from "./interfaces/IValuationRegistry.sol";
import {IValuationVerifier} from "./interfaces/IValuationVerifier.sol";
import {Consent} from "./types/Pledge.sol";
import {ReportBatch, ReportRecord, ReportStatus, ValuationReport, ValuationVerdict} from "./types/Valuation.sol";
import {Roles} from "./libraries/Roles.sol";
import {ValuationTypedData} from "./libraries/ValuationTypedData.sol";

/// @title The register of valuation reports (SPEC §5).
/// @notice A report is identified by the SHA-256 of its file. Licensed evaluators anchor reports one by one (sent
/// themselves or relayed with their signature) or many at once under a Merkle root; a batched report is recorded
/// ("materialised") by anyone with its proof, and is then used exactly like a singly anchored one. The pledge
/// registry asks `verdictFor` whether a report can be relied on.
contract ValuationRegistry is IValuationRegistry, AccessManaged, Pausable, PartyConsent {
    /// @notice Most assets one report may value; bounds every loop over a report's assets.
    uint256 public constant MAX_ASSETS_PER_REPORT = 255;

    mapping(bytes32 documentHash => ReportRecord record) private _reports;
    mapping(bytes32 documentHash => mapping(bytes32 assetId => bool covered)) private _covers;
    mapping(bytes32 documentHash => bytes32 batchRoot) private _batchOfReport;
    mapping(bytes32 documentHash => bytes32 newer) private _supersededBy;
    mapping(address evaluator => mapping(bytes32 root => ReportBatch batch)) private _batches;

    constructor(address accessManager) AccessManaged(accessManager) PartyConsent("IPValuationRegistry", "1") {}

    // ───────────── anchoring ─────────────

    /// @inheritdoc IValuationRegistry
    function anchor(ValuationReport calldata report) external whenNotPaused {
        if (report.evaluator != msg.sender) revert SignatureInvalid(report.evaluator);
        _requireLicensed(msg.sender);
        _record(report, bytes32(0), uint40(block.timestamp));
    }

    /// @inheritdoc IValuationRegistry
    function anchorSigned(ValuationReport calldata report, Consent calldata evaluatorConsent) external whenNotPaused {
        _requireLicensed(report.evaluator);
        _requireConsent(
            report.evaluator,
            abi.encode(ValuationTypedData.REPORT_ANCHORING_TYPEHASH, ValuationTypedData.hashReport(report)),
            evaluatorConsent
        );
        _record(report, bytes32(0), uint40(block.timestamp));
    }

    /// @inheritdoc IValuationRegistry
    function anchorBatch(bytes32 root, uint32 reportCount) external whenNotPaused {
        _requireLicensed(msg.sender);
        _anchorBatch(root, reportCount, msg.sender);
    }

    /// @inheritdoc IValuationRegistry
    function anchorBatchSigned(bytes32 root, uint32 reportCount, address evaluator, Consent calldata evaluatorConsent)
        external
        whenNotPaused
    {
        _requireLicensed(evaluator);
        _requireConsent(
            evaluator, abi.encode(ValuationTypedData.BATCH_ANCHORING_TYPEHASH, root, reportCount), evaluatorConsent
        );
        _anchorBatch(root, reportCount, evaluator);
    }

    /// @inheritdoc IValuationRegistry
    function materialise(bytes32 root, ValuationReport calldata report, bytes32[] calldata proof)
        external
        whenNotPaused
    {
        ReportBatch memory batch = _batch(report.evaluator, root);
        if (!_inBatch(root, report, proof)) revert ReportNotInBatch(root, report.documentHash);
        // The evaluator was licensed when it anchored the batch; the report counts from then. A registrar who
        // withdraws the licence revokes the evaluator's batches to stop the rest being materialised.
        _record(report, root, batch.anchoredAt);
    }

    // ───────────── revocation ─────────────

    /// @inheritdoc IValuationRegistry
    function revoke(bytes32 documentHash, string calldata reason, Consent calldata evaluatorConsent)
        external
        whenNotPaused
    {
        ReportRecord storage record = _current(documentHash);
        _requireConsent(
            record.evaluator,
            abi.encode(ValuationTypedData.REPORT_REVOCATION_TYPEHASH, documentHash, keccak256(bytes(reason))),
            evaluatorConsent
        );
        record.status = ReportStatus.Revoked;
        emit ReportRevoked(documentHash, record.evaluator, reason);
    }

    /// @inheritdoc IValuationRegistry
    function revokeAsRegistrar(bytes32 documentHash, string calldata reason) external restricted whenNotPaused {
        _current(documentHash).status = ReportStatus.Revoked;
        emit ReportRevoked(documentHash, msg.sender, reason);
    }

    /// @inheritdoc IValuationRegistry
    function revokeBatch(address evaluator, bytes32 root, string calldata reason, Consent calldata evaluatorConsent)
        external
        whenNotPaused
    {
        _batch(evaluator, root);
        _requireConsent(
            evaluator,
            abi.encode(ValuationTypedData.BATCH_REVOCATION_TYPEHASH, root, keccak256(bytes(reason))),
            evaluatorConsent
        );
        _batches[evaluator][root].revoked = true;
        emit BatchRevoked(root, evaluator, evaluator, reason);
    }

    /// @inheritdoc IValuationRegistry
    function revokeBatchAsRegistrar(address evaluator, bytes32 root, string calldata reason)
        external
        restricted
        whenNotPaused
    {
        _batch(evaluator, root);
        _batches[evaluator][root].revoked = true;
        emit BatchRevoked(root, evaluator, msg.sender, reason);
    }

    /// @notice Stop every anchoring and revocation.
    /// @dev Admin only.
    function pause() external restricted {
        _pause();
    }

    /// @notice Resume anchoring and revocation.
    /// @dev Admin only.
    function unpause() external restricted {
        _unpause();
    }

    // ───────────── views ─────────────

    /// @inheritdoc IValuationVerifier
    function verdictFor(bytes32 reportId, bytes32[] calldata assetIds) external view returns (ValuationVerdict) {
        ReportRecord memory record = _reports[reportId];
        if (record.status == ReportStatus.None) return ValuationVerdict.Unknown;
        if (record.status == ReportStatus.Revoked) return ValuationVerdict.Revoked;
        if (record.status == ReportStatus.Superseded) return ValuationVerdict.Superseded;
        if (block.timestamp > record.validUntil) return ValuationVerdict.Expired;
        for (uint256 i; i < assetIds.length; ++i) {
            if (!_covers[reportId][assetIds[i]]) return ValuationVerdict.AssetNotCovered;
        }
        return ValuationVerdict.Valid;
    }

    /// @inheritdoc IValuationRegistry
    function reportOf(bytes32 documentHash)
        external
        view
        returns (ReportRecord memory record, bytes32 batchRoot, bytes32 supersededBy)
    {
        return (_reports[documentHash], _batchOfReport[documentHash], _supersededBy[documentHash]);
    }

    /// @inheritdoc IValuationRegistry
    function covers(bytes32 documentHash, bytes32 assetId) external view returns (bool) {
        return _covers[documentHash][assetId];
    }

    /// @inheritdoc IValuationRegistry
    function batchOf(address evaluator, bytes32 root) external view returns (ReportBatch memory) {
        return _batches[evaluator][root];
    }

    /// @inheritdoc IValuationRegistry
    function verifyInBatch(bytes32 root, ValuationReport calldata report, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        return _batches[report.evaluator][root].anchoredAt != 0 && _inBatch(root, report, proof);
    }

    /// @inheritdoc IValuationRegistry
    function leafOf(ValuationReport calldata report) external pure returns (bytes32) {
        return ValuationTypedData.leaf(report);
    }

    /// @inheritdoc IValuationRegistry
    function reportHash(ValuationReport calldata report) external pure returns (bytes32) {
        return ValuationTypedData.hashReport(report);
    }

    // ───────────── internals ─────────────

    /// @dev Checks and stores a report anchored at `anchoredAt` (now, or its batch's time), then supersedes the
    /// report it replaces, if any.
    function _record(ValuationReport calldata report, bytes32 batchRoot, uint40 anchoredAt) private {
        bytes32 documentHash = report.documentHash;
        uint256 assetCount = report.assetIds.length;
        bool sensible = documentHash != bytes32(0) && report.value != 0 && assetCount != 0
            && assetCount <= MAX_ASSETS_PER_REPORT && report.valuationDate <= report.validUntil
            && report.valuationDate <= anchoredAt;
        if (!sensible) revert ReportInvalid(documentHash);
        if (_reports[documentHash].status != ReportStatus.None) revert ReportAlreadyAnchored(documentHash);

        for (uint256 i; i < assetCount; ++i) {
            mapping(bytes32 => bool) storage covered = _covers[documentHash];
            // A report never anchored before covers nothing yet, so a set flag means the asset is listed twice.
            if (covered[report.assetIds[i]]) revert ReportInvalid(documentHash);
            covered[report.assetIds[i]] = true;
        }
        _reports[documentHash] = ReportRecord({
            evaluator: report.evaluator,
            status: ReportStatus.Anchored,
            // assetCount ≤ MAX_ASSETS_PER_REPORT (255) fits in uint8.
            assetCount: uint8(assetCount),
            validUntil: report.validUntil,
            anchoredAt: anchoredAt
        });
        if (batchRoot != bytes32(0)) _batchOfReport[documentHash] = batchRoot;
        emit ReportAnchored(documentHash, report.evaluator, batchRoot, report);

        if (report.supersedes != bytes32(0)) _supersede(report);
    }

    /// @dev The newer report must come from the same evaluator and cover every asset of the current report it
    /// replaces. Its assets are distinct, so it covers all of the older's exactly when as many of its assets are
    /// covered by the older as the older has.
    function _supersede(ValuationReport calldata newer) private {
        bytes32 older = newer.supersedes;
        ReportRecord storage record = _reports[older];
        if (record.status != ReportStatus.Anchored || record.evaluator != newer.evaluator) {
            revert SupersessionInvalid(newer.documentHash, older);
        }
        uint256 shared;
        for (uint256 i; i < newer.assetIds.length; ++i) {
            if (_covers[older][newer.assetIds[i]]) ++shared;
        }
        if (shared != record.assetCount) revert SupersessionInvalid(newer.documentHash, older);
        record.status = ReportStatus.Superseded;
        _supersededBy[older] = newer.documentHash;
        emit ReportSuperseded(older, newer.documentHash);
    }

    function _anchorBatch(bytes32 root, uint32 reportCount, address evaluator) private {
        if (root == bytes32(0) || reportCount == 0) revert BatchInvalid();
        if (_batches[evaluator][root].anchoredAt != 0) revert BatchAlreadyAnchored(evaluator, root);
        _batches[evaluator][root] =
            ReportBatch({anchoredAt: uint40(block.timestamp), reportCount: reportCount, revoked: false});
        emit BatchAnchored(root, evaluator, reportCount);
    }

    /// @dev The evaluator's batch with this root, which must exist and not be revoked.
    function _batch(address evaluator, bytes32 root) private view returns (ReportBatch memory batch) {
        batch = _batches[evaluator][root];
        if (batch.anchoredAt == 0) revert BatchNotFound(evaluator, root);
        if (batch.revoked) revert BatchRevokedAlready(evaluator, root);
    }

    function _inBatch(bytes32 root, ValuationReport calldata report, bytes32[] calldata proof)
        private
        pure
        returns (bool)
    {
        return MerkleProof.verifyCalldata(proof, root, ValuationTypedData.leaf(report));
    }

    function _current(bytes32 documentHash) private view returns (ReportRecord storage record) {
        record = _reports[documentHash];
        if (record.status == ReportStatus.None) revert ReportNotAnchored(documentHash);
        if (record.status != ReportStatus.Anchored) revert ReportNotCurrent(documentHash);
    }

    function _requireLicensed(address evaluator) private view {
        (bool licensed,) = IAccessManager(authority()).hasRole(Roles.EVALUATOR, evaluator);
        if (!licensed) revert EvaluatorNotLicensed(evaluator);
    }
}
