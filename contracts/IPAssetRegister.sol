// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IIPAssetRegister} from "./interfaces/IIPAssetRegister.sol";
import {Asset, AssetKind, AssetStatus, FreezeKind, Holder} from "./types/IPAsset.sol";
import {AssetStanding} from "./libraries/AssetStanding.sol";

/// @title The IP asset register of the registration office.
/// @notice Permissions come from the shared AccessManager: every `restricted` function is the registrar's,
/// `pause`/`unpause` the admin's.
contract IPAssetRegister is IIPAssetRegister, AccessManaged, Pausable {
    /// @notice Most co-owners an asset may have; bounds every loop over holders.
    uint256 public constant MAX_HOLDERS = 16;
    uint256 private constant _WHOLE_BPS = 10_000;

    mapping(bytes32 assetId => Asset asset) private _assets;
    mapping(bytes32 assetId => mapping(uint256 index => Holder holder)) private _holders;
    mapping(bytes32 assetId => string officialNumber) private _officialNumbers;

    constructor(address accessManager) AccessManaged(accessManager) {}

    // ───────────── registrar actions ─────────────

    /// @inheritdoc IIPAssetRegister
    function recordAsset(
        AssetKind kind,
        string calldata officialNumber,
        Holder[] calldata holders,
        uint40 grantDate,
        uint40 expiryDate,
        uint40 feesPaidUntil,
        bytes32 documentHash
    ) external restricted whenNotPaused returns (bytes32 assetId) {
        if (bytes(officialNumber).length == 0) revert OfficialNumberEmpty();
        assetId = _assetIdOf(kind, officialNumber);
        if (_assets[assetId].recordedAt != 0) revert AssetAlreadyRecorded(assetId);
        _checkTerm(grantDate, expiryDate);

        AssetStatus status = grantDate == 0 ? AssetStatus.Applied : AssetStatus.Granted;
        _assets[assetId] = Asset({
            kind: kind,
            status: status,
            freeze: FreezeKind.None,
            invalidationPending: false,
            holderCount: 0,
            grantDate: grantDate,
            expiryDate: expiryDate,
            feesPaidUntil: feesPaidUntil,
            recordedAt: uint40(block.timestamp)
        });
        _officialNumbers[assetId] = officialNumber;
        emit AssetRecorded(assetId, kind, officialNumber, status, grantDate, expiryDate, feesPaidUntil, documentHash);
        _writeHolders(assetId, holders, documentHash);
    }

    /// @inheritdoc IIPAssetRegister
    function recordTerm(bytes32 assetId, uint40 grantDate, uint40 expiryDate, bytes32 documentHash)
        external
        restricted
        whenNotPaused
    {
        Asset storage asset = _recorded(assetId);
        if (grantDate == 0) revert AssetTermInvalid(grantDate, expiryDate);
        _checkTerm(grantDate, expiryDate);
        asset.grantDate = grantDate;
        asset.expiryDate = expiryDate;
        emit AssetTermRecorded(assetId, grantDate, expiryDate, documentHash);
        if (asset.status == AssetStatus.Applied) {
            asset.status = AssetStatus.Granted;
            emit AssetStatusRecorded(assetId, AssetStatus.Granted, documentHash);
        }
    }

    /// @inheritdoc IIPAssetRegister
    function recordAnnualFees(bytes32 assetId, uint40 feesPaidUntil, bytes32 documentHash)
        external
        restricted
        whenNotPaused
    {
        _recorded(assetId).feesPaidUntil = feesPaidUntil;
        emit AnnualFeesRecorded(assetId, feesPaidUntil, documentHash);
    }

    /// @inheritdoc IIPAssetRegister
    function recordStatus(bytes32 assetId, AssetStatus status, bytes32 documentHash)
        external
        restricted
        whenNotPaused
    {
        Asset storage asset = _recorded(assetId);
        // An asset is granted by recordTerm (which carries the grant date), never by a bare status change;
        // and a granted right does not go back to being an application.
        bool toGrantedWithoutDate = status == AssetStatus.Granted && asset.grantDate == 0;
        bool backToApplied = status == AssetStatus.Applied && asset.status != AssetStatus.Applied;
        if (toGrantedWithoutDate || backToApplied) revert AssetStatusChangeInvalid(asset.status, status);
        asset.status = status;
        emit AssetStatusRecorded(assetId, status, documentHash);
    }

    /// @inheritdoc IIPAssetRegister
    function recordInvalidationProceedings(bytes32 assetId, bool pending, bytes32 documentHash)
        external
        restricted
        whenNotPaused
    {
        _recorded(assetId).invalidationPending = pending;
        emit InvalidationProceedingsRecorded(assetId, pending, documentHash);
    }

    /// @inheritdoc IIPAssetRegister
    function recordFreeze(bytes32 assetId, FreezeKind freeze, bytes32 documentHash)
        external
        restricted
        whenNotPaused
    {
        _recorded(assetId).freeze = freeze;
        emit FreezeRecorded(assetId, freeze, documentHash);
    }

    /// @inheritdoc IIPAssetRegister
    function recordHolders(bytes32 assetId, Holder[] calldata holders, bytes32 documentHash)
        external
        restricted
        whenNotPaused
    {
        _recorded(assetId);
        _writeHolders(assetId, holders, documentHash);
    }

    /// @notice Stop every registrar action (e.g. while a key compromise is investigated).
    /// @dev Admin only.
    function pause() external restricted {
        _pause();
    }

    /// @notice Resume registrar actions.
    /// @dev Admin only.
    function unpause() external restricted {
        _unpause();
    }

    // ───────────── views ─────────────

    /// @inheritdoc IIPAssetRegister
    function assetIdOf(AssetKind kind, string calldata officialNumber) external pure returns (bytes32) {
        return _assetIdOf(kind, officialNumber);
    }

    /// @inheritdoc IIPAssetRegister
    function assetOf(bytes32 assetId) external view returns (Asset memory) {
        return _assets[assetId];
    }

    /// @inheritdoc IIPAssetRegister
    function officialNumberOf(bytes32 assetId) external view returns (string memory) {
        return _officialNumbers[assetId];
    }

    /// @inheritdoc IIPAssetRegister
    function holdersOf(bytes32 assetId) external view returns (Holder[] memory holders) {
        uint256 count = _assets[assetId].holderCount;
        holders = new Holder[](count);
        for (uint256 i; i < count; ++i) {
            holders[i] = _holders[assetId][i];
        }
    }

    /// @inheritdoc IIPAssetRegister
    function isHolder(bytes32 assetId, address account) external view returns (bool) {
        uint256 count = _assets[assetId].holderCount;
        for (uint256 i; i < count; ++i) {
            if (_holders[assetId][i].holder == account) return true;
        }
        return false;
    }

    /// @inheritdoc IIPAssetRegister
    function standingOf(bytes32 assetId) external view returns (uint8) {
        Asset memory asset = _assets[assetId];
        if (asset.recordedAt == 0) revert AssetNotRecorded(assetId);
        return uint8(AssetStanding.firstProblem(asset, block.timestamp));
    }

    // ───────────── internals ─────────────

    function _assetIdOf(AssetKind kind, string calldata officialNumber) private pure returns (bytes32) {
        return keccak256(abi.encode(kind, officialNumber));
    }

    function _recorded(bytes32 assetId) private view returns (Asset storage asset) {
        asset = _assets[assetId];
        if (asset.recordedAt == 0) revert AssetNotRecorded(assetId);
    }

    function _checkTerm(uint40 grantDate, uint40 expiryDate) private pure {
        if (expiryDate != 0 && expiryDate <= grantDate) revert AssetTermInvalid(grantDate, expiryDate);
    }

    /// @dev Validates and writes the whole holder list. Slots past the new count keep stale values that are
    /// never read: every reader stops at `holderCount`.
    function _writeHolders(bytes32 assetId, Holder[] calldata holders, bytes32 documentHash) private {
        uint256 count = holders.length;
        if (count == 0 || count > MAX_HOLDERS) revert HolderCountInvalid(count, MAX_HOLDERS);
        uint256 totalBps;
        for (uint256 i; i < count; ++i) {
            Holder calldata h = holders[i];
            if (h.holder == address(0) || h.shareBps == 0) revert HolderInvalid(i);
            for (uint256 j; j < i; ++j) {
                if (holders[j].holder == h.holder) revert HolderDuplicated(h.holder);
            }
            totalBps += h.shareBps;
            _holders[assetId][i] = h;
        }
        if (totalBps != _WHOLE_BPS) revert HolderSharesNotWhole(totalBps);
        // count ≤ MAX_HOLDERS (16) fits in uint8.
        _assets[assetId].holderCount = uint8(count);
        emit HoldersRecorded(assetId, holders, documentHash);
    }
}
