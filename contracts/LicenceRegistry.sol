// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {PartyConsent} from "./PartyConsent.sol";
import {ILicenceRegistry} from "./interfaces/ILicenceRegistry.sol";
import {IIPAssetRegister} from "./interfaces/IIPAssetRegister.sol";
import {Asset, Holder} from "./types/IPAsset.sol";
import {FirstLicenceTerms, Instalment, Licence, LicenceKind, SubLicenceTerms} from "./types/Licence.sol";
import {Consent, Reason} from "./types/Pledge.sol";
import {AssetStanding} from "./libraries/AssetStanding.sol";
import {LicenceTypedData} from "./libraries/LicenceTypedData.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title The register of licence agreements whose fees are securitised (SPEC §6).
contract LicenceRegistry is ILicenceRegistry, AccessManaged, Pausable, PartyConsent {
    uint256 public constant MAX_ASSETS = 32;
    uint256 public constant MAX_LICENSORS = 16;
    uint256 public constant MAX_INSTALMENTS = 64;

    IIPAssetRegister public immutable assetRegister;

    /// @inheritdoc ILicenceRegistry
    uint256 public lastLicenceId;

    mapping(uint256 licenceId => Licence licence) private _licences;
    mapping(uint256 licenceId => mapping(uint256 index => bytes32 assetId)) private _assets;
    mapping(uint256 licenceId => mapping(uint256 index => Instalment instalment)) private _instalments;
    mapping(uint256 licenceId => address pool) private _pools;
    /// @dev Per asset: the end of the latest first licence of any kind, and of the latest exclusive one. A new licence
    /// may not start before an exclusive one ends; an exclusive one may not start before any licence ends.
    mapping(bytes32 assetId => uint40 until) private _licensedUntil;
    mapping(bytes32 assetId => uint40 until) private _exclusiveUntil;

    constructor(address accessManager, IIPAssetRegister assetRegister_)
        AccessManaged(accessManager)
        PartyConsent("IPLicenceRegistry", "1")
    {
        assetRegister = assetRegister_;
    }

    /// @inheritdoc ILicenceRegistry
    function recordFirstLicence(FirstLicenceTerms calldata terms, Consent[] calldata licensorConsents)
        external
        whenNotPaused
        returns (uint256 licenceId)
    {
        if (!_isOriginator(msg.sender) || terms.licensee != msg.sender) revert LicenseeInvalid(terms.licensee);
        uint256 assetCount = terms.assetIds.length;
        uint256 licensorCount = terms.licensors.length;
        bool sensible = assetCount != 0 && assetCount <= MAX_ASSETS && licensorCount != 0
            && licensorCount <= MAX_LICENSORS && licensorConsents.length == licensorCount
            && terms.startDate != 0 && terms.startDate < terms.endDate && !_hasDuplicates(terms);
        if (!sensible) revert LicenceTermsInvalid();

        bytes memory signedFields = LicenceTypedData.firstLicenceFields(terms);
        for (uint256 i; i < licensorCount; ++i) {
            _requireConsent(terms.licensors[i], signedFields, licensorConsents[i]);
        }
        _checkLicensors(terms);
        _checkExclusivity(terms);

        licenceId = ++lastLicenceId;
        Licence storage licence = _licences[licenceId];
        licence.kind = LicenceKind.First;
        licence.exclusive = terms.exclusive;
        licence.subLicensable = terms.subLicensable;
        // assetCount ≤ MAX_ASSETS (32) fits in uint8.
        licence.assetCount = uint8(assetCount);
        licence.startDate = terms.startDate;
        licence.endDate = terms.endDate;
        licence.licensor = terms.licensors[0];
        licence.licensee = terms.licensee;
        licence.upfrontFee = terms.upfrontFee;
        licence.contractHash = terms.contractHash;
        for (uint256 i; i < assetCount; ++i) {
            bytes32 assetId = terms.assetIds[i];
            _assets[licenceId][i] = assetId;
            if (terms.endDate > _licensedUntil[assetId]) _licensedUntil[assetId] = terms.endDate;
            if (terms.exclusive) _exclusiveUntil[assetId] = terms.endDate;
        }
        emit FirstLicenceRecorded(licenceId, terms.licensee, terms.licensors, terms);
    }

    /// @inheritdoc ILicenceRegistry
    function recordSubLicence(SubLicenceTerms calldata terms, Consent calldata licenseeConsent)
        external
        whenNotPaused
        returns (uint256 licenceId)
    {
        Licence storage first = _licences[terms.firstLicenceId];
        if (first.kind != LicenceKind.First || first.licensee == address(0)) {
            revert LicenceNotFound(terms.firstLicenceId);
        }
        if (msg.sender != first.licensee || !_isOriginator(msg.sender)) {
            revert NotLicensor(terms.firstLicenceId, msg.sender);
        }
        if (!first.subLicensable || terms.startDate < first.startDate || terms.endDate > first.endDate) {
            revert SubLicenceNotAllowed(terms.firstLicenceId);
        }
        _checkSchedule(terms);
        _requireConsent(terms.licensee, LicenceTypedData.subLicenceFields(terms), licenseeConsent);
        bytes32[] memory assetIds = _assetsOf(terms.firstLicenceId);
        for (uint256 i; i < assetIds.length; ++i) {
            _checkStanding(assetIds[i], terms.endDate);
        }

        licenceId = ++lastLicenceId;
        Licence storage licence = _licences[licenceId];
        licence.kind = LicenceKind.Sub;
        licence.assetCount = first.assetCount;
        // The schedule's length is ≤ MAX_INSTALMENTS (64), checked above, so it fits in uint8.
        licence.instalmentCount = uint8(terms.schedule.length);
        licence.startDate = terms.startDate;
        licence.endDate = terms.endDate;
        licence.licensor = msg.sender;
        licence.licensee = terms.licensee;
        licence.firstLicenceId = terms.firstLicenceId;
        licence.contractHash = terms.contractHash;
        for (uint256 i; i < assetIds.length; ++i) {
            _assets[licenceId][i] = assetIds[i];
        }
        for (uint256 i; i < terms.schedule.length; ++i) {
            _instalments[licenceId][i] = terms.schedule[i];
        }
        emit SubLicenceRecorded(licenceId, terms.firstLicenceId, terms.licensee, terms);
    }

    /// @inheritdoc ILicenceRegistry
    function assignToPool(uint256 licenceId, address pool) external whenNotPaused {
        Licence storage licence = _licences[licenceId];
        if (licence.kind != LicenceKind.Sub) revert LicenceNotFound(licenceId);
        if (msg.sender != licence.licensor || !_isOriginator(msg.sender)) revert NotLicensor(licenceId, msg.sender);
        if (_pools[licenceId] != address(0)) revert ReceivableAlreadyAssigned(licenceId, _pools[licenceId]);
        if (pool == address(0)) revert LicenceTermsInvalid();
        _pools[licenceId] = pool;
        emit ReceivableAssigned(licenceId, pool);
    }

    /// @notice Stop recording licences and assignments.
    /// @dev Admin only.
    function pause() external restricted {
        _pause();
    }

    /// @notice Resume recording.
    /// @dev Admin only.
    function unpause() external restricted {
        _unpause();
    }

    /// @inheritdoc ILicenceRegistry
    function licenceOf(uint256 licenceId) external view returns (Licence memory) {
        return _licences[licenceId];
    }

    /// @inheritdoc ILicenceRegistry
    function assetsOf(uint256 licenceId) external view returns (bytes32[] memory) {
        return _assetsOf(licenceId);
    }

    /// @inheritdoc ILicenceRegistry
    function scheduleOf(uint256 licenceId) external view returns (Instalment[] memory schedule) {
        schedule = new Instalment[](_licences[licenceId].instalmentCount);
        for (uint256 i; i < schedule.length; ++i) {
            schedule[i] = _instalments[licenceId][i];
        }
    }

    /// @inheritdoc ILicenceRegistry
    function instalmentOf(uint256 licenceId, uint256 index) external view returns (Instalment memory) {
        if (index >= _licences[licenceId].instalmentCount) revert LicenceNotFound(licenceId);
        return _instalments[licenceId][index];
    }

    /// @inheritdoc ILicenceRegistry
    function poolOf(uint256 licenceId) external view returns (address) {
        return _pools[licenceId];
    }

    /// @dev Every asset licensable for the whole term, every holder a licensor, every licensor a holder.
    function _checkLicensors(FirstLicenceTerms calldata terms) private view {
        bool[] memory holds = new bool[](terms.licensors.length);
        for (uint256 i; i < terms.assetIds.length; ++i) {
            bytes32 assetId = terms.assetIds[i];
            _checkStanding(assetId, terms.endDate);
            Holder[] memory holders = assetRegister.holdersOf(assetId);
            for (uint256 h; h < holders.length; ++h) {
                bool found;
                for (uint256 j; j < terms.licensors.length; ++j) {
                    if (terms.licensors[j] == holders[h].holder) {
                        holds[j] = true;
                        found = true;
                    }
                }
                if (!found) revert HolderNotLicensor(assetId, holders[h].holder);
            }
        }
        for (uint256 j; j < holds.length; ++j) {
            if (!holds[j]) revert LicensorNotHolder(terms.licensors[j]);
        }
    }

    function _isOriginator(address account) private view returns (bool isOriginator) {
        (isOriginator,) = IAccessManager(authority()).hasRole(Roles.ORIGINATOR, account);
    }

    function _hasDuplicates(FirstLicenceTerms calldata terms) private pure returns (bool) {
        for (uint256 i; i < terms.assetIds.length; ++i) {
            for (uint256 j; j < i; ++j) {
                if (terms.assetIds[i] == terms.assetIds[j]) return true;
            }
        }
        for (uint256 i; i < terms.licensors.length; ++i) {
            for (uint256 j; j < i; ++j) {
                if (terms.licensors[i] == terms.licensors[j]) return true;
            }
        }
        return false;
    }

    /// @dev Exclusivity, per asset: no licence may overlap an exclusive one, and an exclusive one may overlap none.
    function _checkExclusivity(FirstLicenceTerms calldata terms) private view {
        for (uint256 i; i < terms.assetIds.length; ++i) {
            bytes32 assetId = terms.assetIds[i];
            uint40 blockedUntil = terms.exclusive ? _licensedUntil[assetId] : _exclusiveUntil[assetId];
            if (terms.startDate < blockedUntil) revert LicenceConflict(assetId, blockedUntil);
        }
    }

    function _checkStanding(bytes32 assetId, uint40 licenceEnd) private view {
        Asset memory asset = assetRegister.assetOf(assetId);
        if (asset.recordedAt == 0) revert IIPAssetRegister.AssetNotRecorded(assetId);
        Reason problem = AssetStanding.firstProblem(asset, block.timestamp);
        if (problem != Reason.None) revert AssetNotLicensable(assetId, uint8(problem));
        if (asset.expiryDate != 0 && licenceEnd > asset.expiryDate) {
            revert LicenceBeyondExpiry(assetId, asset.expiryDate);
        }
    }

    function _checkSchedule(SubLicenceTerms calldata terms) private pure {
        uint256 count = terms.schedule.length;
        if (count == 0 || count > MAX_INSTALMENTS || terms.startDate >= terms.endDate || terms.licensee == address(0)) {
            revert LicenceTermsInvalid();
        }
        uint40 previousDue = terms.startDate;
        for (uint256 i; i < count; ++i) {
            Instalment calldata instalment = terms.schedule[i];
            if (instalment.amount == 0 || instalment.dueDate < previousDue || instalment.dueDate > terms.endDate) {
                revert LicenceTermsInvalid();
            }
            previousDue = instalment.dueDate;
        }
    }

    function _assetsOf(uint256 licenceId) private view returns (bytes32[] memory assetIds) {
        assetIds = new bytes32[](_licences[licenceId].assetCount);
        for (uint256 i; i < assetIds.length; ++i) {
            assetIds[i] = _assets[licenceId][i];
        }
    }
}
