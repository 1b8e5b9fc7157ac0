// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Asset, AssetKind, AssetStatus, FreezeKind, Holder} from "../types/IPAsset.sol";

/// @title The register of IP assets kept by the registration office (SPEC §3).
/// @notice An asset is identified by its kind and official number; `assetId = keccak256(abi.encode(kind, number))`.
/// Every change is an event carrying the hash of the office's document behind it, so an asset's full
/// history can be rebuilt from events alone.
interface IIPAssetRegister {
    // ───────────── events ─────────────
    /// @notice An asset was entered in the register, `Applied` or `Granted`, on the strength of `documentHash`.
    event AssetRecorded(
        bytes32 indexed assetId,
        AssetKind kind,
        string officialNumber,
        AssetStatus status,
        uint40 grantDate,
        uint40 expiryDate,
        uint40 feesPaidUntil,
        bytes32 documentHash
    );
    /// @notice The asset's holders are now exactly `holders` (on first record and on every holder change).
    event HoldersRecorded(bytes32 indexed assetId, Holder[] holders, bytes32 documentHash);
    /// @notice The asset was granted, or its term renewed or corrected.
    event AssetTermRecorded(bytes32 indexed assetId, uint40 grantDate, uint40 expiryDate, bytes32 documentHash);
    /// @notice Annual fees were paid up to `feesPaidUntil`.
    event AnnualFeesRecorded(bytes32 indexed assetId, uint40 feesPaidUntil, bytes32 documentHash);
    /// @notice The asset's legal status changed (e.g. lapsed, invalidated, restored).
    event AssetStatusRecorded(bytes32 indexed assetId, AssetStatus status, bytes32 documentHash);
    /// @notice Invalidation proceedings were opened (`pending`) or closed.
    event InvalidationProceedingsRecorded(bytes32 indexed assetId, bool pending, bytes32 documentHash);
    /// @notice The asset was frozen (ownership dispute, preservation order) or unfrozen (`FreezeKind.None`).
    event FreezeRecorded(bytes32 indexed assetId, FreezeKind freeze, bytes32 documentHash);

    // ───────────── errors ─────────────
    /// @notice An asset with this kind and official number is already in the register.
    error AssetAlreadyRecorded(bytes32 assetId);
    /// @notice No asset with this id is in the register.
    error AssetNotRecorded(bytes32 assetId);
    /// @notice The official number is empty.
    error OfficialNumberEmpty();
    /// @notice An asset needs between one and `max` holders.
    error HolderCountInvalid(uint256 count, uint256 max);
    /// @notice A holder is the zero address or has a zero share.
    error HolderInvalid(uint256 index);
    /// @notice The same holder is listed twice.
    error HolderDuplicated(address holder);
    /// @notice Holders' shares must add up to 10,000 basis points.
    error HolderSharesNotWhole(uint256 totalBps);
    /// @notice The expiry date is not after the grant date, or a grant date is missing for a granted status.
    error AssetTermInvalid(uint40 grantDate, uint40 expiryDate);
    /// @notice `Applied` cannot be set on a granted asset; `Granted` needs a grant date (use `recordTerm`).
    error AssetStatusChangeInvalid(AssetStatus from, AssetStatus to);

    // ───────────── registrar actions ─────────────
    /// @notice Enter an asset in the register. `grantDate` 0 records an application not yet granted.
    /// @dev Registrar only.
    /// @return assetId keccak256(abi.encode(kind, officialNumber)).
    function recordAsset(
        AssetKind kind,
        string calldata officialNumber,
        Holder[] calldata holders,
        uint40 grantDate,
        uint40 expiryDate,
        uint40 feesPaidUntil,
        bytes32 documentHash
    ) external returns (bytes32 assetId);

    /// @notice Record the grant, a renewal (e.g. of a trademark) or a correction of the asset's term.
    /// @dev Registrar only. A grant moves an `Applied` asset to `Granted`.
    function recordTerm(bytes32 assetId, uint40 grantDate, uint40 expiryDate, bytes32 documentHash) external;

    /// @notice Record that annual fees are paid up to `feesPaidUntil`.
    /// @dev Registrar only.
    function recordAnnualFees(bytes32 assetId, uint40 feesPaidUntil, bytes32 documentHash) external;

    /// @notice Record a change of legal status: lapse, invalidation, or restoration (`Granted`).
    /// @dev Registrar only.
    function recordStatus(bytes32 assetId, AssetStatus status, bytes32 documentHash) external;

    /// @notice Record that invalidation proceedings were opened or closed.
    /// @dev Registrar only.
    function recordInvalidationProceedings(bytes32 assetId, bool pending, bytes32 documentHash) external;

    /// @notice Record a freeze (ownership dispute, preservation order) or its lifting (`FreezeKind.None`).
    /// @dev Registrar only.
    function recordFreeze(bytes32 assetId, FreezeKind freeze, bytes32 documentHash) external;

    /// @notice Record new holders, e.g. after an assignment or a disposal of a pledge.
    /// @dev Registrar only. Replaces the whole list of holders.
    function recordHolders(bytes32 assetId, Holder[] calldata holders, bytes32 documentHash) external;

    // ───────────── views ─────────────
    /// @notice The id of the asset with this kind and official number (whether recorded or not).
    function assetIdOf(AssetKind kind, string calldata officialNumber) external pure returns (bytes32);

    /// @notice The asset's record; `recordedAt` is 0 for an unknown id.
    function assetOf(bytes32 assetId) external view returns (Asset memory);

    /// @notice The asset's official number.
    function officialNumberOf(bytes32 assetId) external view returns (string memory);

    /// @notice The asset's holders with their shares.
    function holdersOf(bytes32 assetId) external view returns (Holder[] memory);

    /// @notice Whether `account` is a recorded holder of the asset.
    function isHolder(bytes32 assetId, address account) external view returns (bool);

    /// @notice Whether the asset can serve as collateral or be licensed now: granted, in force, annual fees paid,
    /// not frozen. Returns the first problem's reason code (`Reason` enum value), or 0 for none.
    function standingOf(bytes32 assetId) external view returns (uint8 reason);
}
