// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {PartyConsent} from "./PartyConsent.sol";
import {IPledgeRegistry} from "./interfaces/IPledgeRegistry.sol";
import {IIPAssetRegister} from "./interfaces/IIPAssetRegister.sol";
import {IValuationVerifier} from "./interfaces/IValuationVerifier.sol";
import {ILossSharing} from "./interfaces/ILossSharing.sol";
import {
    Consent,
    Disposal,
    DisposalMethod,
    Pledge,
    PledgeStatus,
    PledgeTerms,
    Reason
} from "./types/Pledge.sol";
import {PledgeRules} from "./libraries/PledgeRules.sol";
import {PledgeTypedData} from "./libraries/PledgeTypedData.sol";

/// @title The pledge register: paperless applications co-signed as EIP-712 typed data, the registration rules of
/// SPEC §4.2, and the lifecycle of SPEC §4.3.
/// @notice Registrar steps are `restricted` by the shared AccessManager; party steps are authorised by the party's
/// signature (or by the party sending the transaction itself); submission is open to any relayer.
contract PledgeRegistry is IPledgeRegistry, AccessManaged, Pausable, PartyConsent {
    /// @notice Most assets one pledge may cover; bounds every loop over a pledge's assets.
    uint256 public constant MAX_ASSETS = PledgeRules.MAX_ASSETS;
    /// @notice Most pledgors one pledge may have; bounds every loop over pledgors.
    uint256 public constant MAX_PLEDGORS = PledgeRules.MAX_PLEDGORS;

    IIPAssetRegister public immutable assetRegister;
    IValuationVerifier public immutable valuationVerifier;
    ILossSharing public immutable lossSharing;

    // One slot: the policy and both counters, read and written together by a submission.
    /// @inheritdoc IPledgeRegistry
    bool public instantRegistration;
    uint64 private _lastPledgeId;
    uint64 private _lastRegistrationNumber;

    mapping(uint256 pledgeId => Pledge pledge) private _pledges;
    mapping(uint256 pledgeId => mapping(uint256 index => bytes32 assetId)) private _pledgedAssets;
    /// @dev Pledgors after the first (index ≥ 1); the first is in the record.
    mapping(uint256 pledgeId => mapping(uint256 index => address pledgor)) private _pledgors;
    mapping(uint256 pledgeId => Disposal disposal) private _disposals;
    /// @dev The registered or enforced pledge that holds the asset now; 0 = free.
    mapping(bytes32 assetId => uint256 pledgeId) private _encumbrances;

    constructor(
        address accessManager,
        IIPAssetRegister assetRegister_,
        IValuationVerifier valuationVerifier_,
        ILossSharing lossSharing_
    )
        AccessManaged(accessManager)
        PartyConsent("IPPledgeRegistry", "1")
    {
        assetRegister = assetRegister_;
        valuationVerifier = valuationVerifier_;
        lossSharing = lossSharing_;
    }

    // ───────────── application and registration ─────────────

    /// @inheritdoc IPledgeRegistry
    function submitApplication(
        PledgeTerms calldata terms,
        Consent[] calldata pledgorConsents,
        Consent calldata pledgeeConsent
    ) external whenNotPaused returns (uint256 pledgeId) {
        PledgeRules.checkShape(_sources(), terms, pledgorConsents.length);
        bytes32 termsHash = PledgeTypedData.hashTerms(terms);
        bytes memory signedFields = abi.encode(PledgeTypedData.PLEDGE_APPLICATION_TYPEHASH, termsHash);

        bool[] memory consented = new bool[](terms.pledgors.length);
        for (uint256 i; i < terms.pledgors.length; ++i) {
            consented[i] = _takeConsent(terms.pledgors[i], signedFields, pledgorConsents[i]);
        }
        if (!_takeConsent(terms.pledgee, signedFields, pledgeeConsent)) revert SignatureInvalid(terms.pledgee);

        _enforceRules(terms, consented, 0);

        pledgeId = ++_lastPledgeId;
        _store(pledgeId, terms);
        emit PledgeApplied(pledgeId, terms.pledgee, termsHash, terms, msg.sender);

        // Every rule was checked in this very transaction, so nothing can have changed in between.
        if (instantRegistration) _register(pledgeId, terms.assetIds);
    }

    /// @inheritdoc IPledgeRegistry
    function register(uint256 pledgeId) external restricted whenNotPaused {
        _requireStatus(pledgeId, PledgeStatus.Pending);
        PledgeTerms memory terms = _loadTerms(pledgeId);
        _enforceRules(terms, PledgeRules.allTrue(terms.pledgors.length), pledgeId);
        _register(pledgeId, terms.assetIds);
    }

    /// @inheritdoc IPledgeRegistry
    function refuse(uint256 pledgeId, Reason reason, string calldata note) external restricted whenNotPaused {
        Pledge storage pledge = _requireStatus(pledgeId, PledgeStatus.Pending);
        pledge.status = PledgeStatus.Refused;
        pledge.closedAt = uint40(block.timestamp);
        emit PledgeRefused(pledgeId, reason, note);
    }

    /// @inheritdoc IPledgeRegistry
    function withdraw(uint256 pledgeId, address party, Consent calldata consent) external whenNotPaused {
        Pledge storage pledge = _requireStatus(pledgeId, PledgeStatus.Pending);
        if (party != pledge.pledgee && !_isPledgor(pledgeId, pledge.pledgorCount, party)) {
            revert PledgePartyInvalid(pledgeId, party);
        }
        _requireConsent(party, abi.encode(PledgeTypedData.PLEDGE_WITHDRAWAL_TYPEHASH, pledgeId), consent);
        pledge.status = PledgeStatus.Withdrawn;
        pledge.closedAt = uint40(block.timestamp);
        emit PledgeWithdrawn(pledgeId, party);
    }

    // ───────────── life of a registered pledge ─────────────

    /// @inheritdoc IPledgeRegistry
    function change(uint256 pledgeId, PledgeChange calldata newTerms, ChangeConsents calldata consents)
        external
        whenNotPaused
    {
        Pledge storage pledge = _requireStatus(pledgeId, PledgeStatus.Registered);
        address previousPledgee = pledge.pledgee;
        PledgeTerms memory terms = _loadTerms(pledgeId);
        bool[] memory consented = _takeChangeConsents(pledgeId, terms.pledgors, previousPledgee, newTerms, consents);
        terms.debt.principal = newTerms.principal;
        terms.debt.maturityDate = newTerms.maturityDate;
        terms.pledgee = newTerms.pledgee;
        PledgeRules.checkDebt(terms.pledgee, terms.debt);
        _enforceRules(terms, consented, pledgeId);

        // checkDebt above refused a principal wider than 96 bits.
        pledge.principal = uint96(newTerms.principal);
        pledge.maturityDate = newTerms.maturityDate;
        if (newTerms.pledgee != previousPledgee) pledge.pledgee = newTerms.pledgee;
        emit PledgeChanged(pledgeId, previousPledgee, newTerms.pledgee, newTerms.principal, newTerms.maturityDate);
    }

    /// @inheritdoc IPledgeRegistry
    function release(uint256 pledgeId, Consent calldata pledgeeConsent) external whenNotPaused {
        Pledge storage pledge = _requireStatus(pledgeId, PledgeStatus.Registered);
        address pledgee = pledge.pledgee;
        _requireConsent(pledgee, abi.encode(PledgeTypedData.PLEDGE_RELEASE_TYPEHASH, pledgeId), pledgeeConsent);
        pledge.status = PledgeStatus.Released;
        pledge.closedAt = uint40(block.timestamp);
        _freeAssets(pledgeId, pledge.assetCount);
        emit PledgeReleased(pledgeId, pledgee);
    }

    /// @inheritdoc IPledgeRegistry
    function declareDefault(uint256 pledgeId, bytes32 evidenceHash, Consent calldata pledgeeConsent)
        external
        whenNotPaused
    {
        Pledge storage pledge = _requireStatus(pledgeId, PledgeStatus.Registered);
        if (block.timestamp <= pledge.maturityDate && evidenceHash == bytes32(0)) {
            revert DefaultBeforeMaturity(pledgeId, pledge.maturityDate);
        }
        address pledgee = pledge.pledgee;
        _requireConsent(
            pledgee, abi.encode(PledgeTypedData.PLEDGE_DEFAULT_TYPEHASH, pledgeId, evidenceHash), pledgeeConsent
        );
        pledge.status = PledgeStatus.Enforced;
        pledge.closedAt = uint40(block.timestamp);
        emit PledgeEnforced(pledgeId, pledgee, evidenceHash);
    }

    /// @inheritdoc IPledgeRegistry
    function recordDisposal(uint256 pledgeId, DisposalTerms calldata terms, Consent calldata pledgeeConsent)
        external
        whenNotPaused
    {
        Pledge storage pledge = _requireStatus(pledgeId, PledgeStatus.Enforced);
        if (terms.method == DisposalMethod.Transfer && terms.transferee == address(0)) {
            revert TransfereeRequired(pledgeId);
        }
        _requireConsent(
            pledge.pledgee,
            abi.encode(
                PledgeTypedData.PLEDGE_DISPOSAL_TYPEHASH,
                pledgeId,
                terms.method,
                terms.proceeds,
                terms.transferee,
                terms.evidenceHash
            ),
            pledgeeConsent
        );
        uint256 principal = pledge.principal;
        // The unrecovered loss is never negative: proceeds above the principal are the debtor's, not a gain.
        uint256 loss = terms.proceeds < principal ? principal - terms.proceeds : 0;

        pledge.status = PledgeStatus.Disposed;
        _disposals[pledgeId] = Disposal({
            method: terms.method,
            disposedAt: uint40(block.timestamp),
            transferee: terms.transferee,
            proceeds: terms.proceeds,
            loss: loss,
            evidenceHash: terms.evidenceHash
        });
        _freeAssets(pledgeId, pledge.assetCount);
        emit PledgeDisposed(pledgeId, terms.method, terms.proceeds, terms.transferee, loss, terms.evidenceHash);

        // Under a scheme every disposal gets exactly one split record, a loss of zero too (every share 0: SPEC §4.3).
        // Without one there is nothing to split: the bank bears the whole loss, recorded above.
        uint32 scheme = pledge.riskScheme;
        if (scheme != 0) lossSharing.allocate(scheme, pledgeId, pledge.debtor, loss);
    }

    // ───────────── signers and policy ─────────────

    /// @inheritdoc IPledgeRegistry
    function setInstantRegistration(bool enabled) external restricted {
        instantRegistration = enabled;
        emit InstantRegistrationSet(enabled);
    }

    /// @notice Stop every state change of the pledge register.
    /// @dev Admin only.
    function pause() external restricted {
        _pause();
    }

    /// @notice Resume state changes.
    /// @dev Admin only.
    function unpause() external restricted {
        _unpause();
    }

    // ───────────── views ─────────────

    /// @inheritdoc IPledgeRegistry
    function collateralStatusOf(bytes32 assetId) external view returns (CollateralStatus memory status) {
        uint256 pledgeId = _encumbrances[assetId];
        if (pledgeId == 0) return status;
        Pledge storage pledge = _pledges[pledgeId];
        status.pledged = true;
        status.pledgeId = pledgeId;
        status.status = pledge.status;
        status.pledgee = pledge.pledgee;
        status.principal = pledge.principal;
        status.currency = pledge.currency;
        status.maturityDate = pledge.maturityDate;
        status.registrationNumber = pledge.registrationNumber;
        status.registeredAt = pledge.registeredAt;
        status.valuationReportId = pledge.valuationReportId;
        status.valuationVerdict = valuationVerifier.verdictFor(pledge.valuationReportId, _assetsOf(pledgeId));
    }

    /// @inheritdoc IPledgeRegistry
    function pledgeOf(uint256 pledgeId) external view returns (Pledge memory) {
        return _pledges[pledgeId];
    }

    /// @inheritdoc IPledgeRegistry
    function lastPledgeId() external view returns (uint256) {
        return _lastPledgeId;
    }

    /// @inheritdoc IPledgeRegistry
    function pledgedAssetsOf(uint256 pledgeId) external view returns (bytes32[] memory) {
        return _assetsOf(pledgeId);
    }

    /// @inheritdoc IPledgeRegistry
    function pledgorsOf(uint256 pledgeId) external view returns (address[] memory) {
        return _pledgorsOf(pledgeId);
    }

    /// @inheritdoc IPledgeRegistry
    function disposalOf(uint256 pledgeId) external view returns (Disposal memory) {
        return _disposals[pledgeId];
    }

    // ───────────── rules ─────────────

    /// @dev Where the rules of SPEC §4.2 read the world.
    function _sources() private view returns (PledgeRules.Sources memory) {
        return PledgeRules.Sources(assetRegister, valuationVerifier, lossSharing, IAccessManager(authority()));
    }

    /// @dev Reverts with the reason-code error of the rule SPEC §4.2 names first, if any rule fails.
    function _enforceRules(PledgeTerms memory terms, bool[] memory consented, uint256 self) private view {
        uint256[] memory holdingPledges = new uint256[](terms.assetIds.length);
        for (uint256 i; i < holdingPledges.length; ++i) {
            holdingPledges[i] = _encumbrances[terms.assetIds[i]];
        }
        PledgeRules.enforce(_sources(), terms, consented, self, holdingPledges);
    }

    // ───────────── consent: signatures, nonces, deadlines ─────────────

    /// @dev The consents to a change: each pledgor's (absence is judged by the co-owner rule), the pledgee's and, on
    /// an assignment, the new pledgee's (both required).
    function _takeChangeConsents(
        uint256 pledgeId,
        address[] memory pledgors,
        address previousPledgee,
        PledgeChange calldata newTerms,
        ChangeConsents calldata consents
    ) private returns (bool[] memory consented) {
        if (consents.pledgors.length != pledgors.length) {
            revert ConsentCountMismatch(pledgors.length, consents.pledgors.length);
        }
        bool assigned = newTerms.pledgee != previousPledgee;
        if (assigned && PledgeRules.indexOf(pledgors, newTerms.pledgee) != type(uint256).max) {
            revert PartyListedTwice(newTerms.pledgee);
        }
        bytes memory signedFields = abi.encode(
            PledgeTypedData.PLEDGE_CHANGE_TYPEHASH,
            pledgeId,
            newTerms.principal,
            newTerms.maturityDate,
            newTerms.pledgee
        );
        consented = new bool[](pledgors.length);
        for (uint256 i; i < pledgors.length; ++i) {
            consented[i] = _takeConsent(pledgors[i], signedFields, consents.pledgors[i]);
        }
        _requireConsent(previousPledgee, signedFields, consents.pledgee);
        if (assigned) _requireConsent(newTerms.pledgee, signedFields, consents.newPledgee);
    }

    // ───────────── storage helpers ─────────────

    function _store(uint256 pledgeId, PledgeTerms calldata terms) private {
        Pledge storage pledge = _pledges[pledgeId];
        // Counts are bounded by MAX_ASSETS (32) and MAX_PLEDGORS (16) in PledgeRules.checkShape, so they fit in
        // uint8; checkShape refused a principal wider than 96 bits. Each slot is written once, whole.
        pledge.pledgee = terms.pledgee;
        pledge.status = PledgeStatus.Pending;
        pledge.invalidationAcknowledged = terms.invalidationAcknowledged;
        pledge.currency = terms.debt.currency;
        pledge.assetCount = uint8(terms.assetIds.length);
        pledge.pledgorCount = uint8(terms.pledgors.length);
        pledge.submittedAt = uint40(block.timestamp);
        pledge.startDate = terms.debt.startDate;
        pledge.maturityDate = terms.debt.maturityDate;
        pledge.riskScheme = terms.riskScheme;
        pledge.firstPledgor = terms.pledgors[0];
        pledge.principal = uint96(terms.debt.principal);
        pledge.debtor = terms.debt.debtor;
        pledge.contractHash = terms.contractHash;
        pledge.valuationReportId = terms.valuationReportId;
        for (uint256 i; i < terms.assetIds.length; ++i) {
            _pledgedAssets[pledgeId][i] = terms.assetIds[i];
            emit AssetNamedInPledge(terms.assetIds[i], pledgeId);
        }
        for (uint256 i; i < terms.pledgors.length; ++i) {
            if (i != 0) _pledgors[pledgeId][i] = terms.pledgors[i];
            emit PledgorNamedInPledge(terms.pledgors[i], pledgeId);
        }
    }

    function _register(uint256 pledgeId, bytes32[] memory assetIds) private {
        Pledge storage pledge = _pledges[pledgeId];
        uint64 registrationNumber = ++_lastRegistrationNumber;
        pledge.status = PledgeStatus.Registered;
        pledge.registeredAt = uint40(block.timestamp);
        pledge.registrationNumber = registrationNumber;
        for (uint256 i; i < assetIds.length; ++i) {
            _encumbrances[assetIds[i]] = pledgeId;
        }
        emit PledgeRegistered(pledgeId, registrationNumber, uint40(block.timestamp));
    }

    function _freeAssets(uint256 pledgeId, uint256 assetCount) private {
        for (uint256 i; i < assetCount; ++i) {
            delete _encumbrances[_pledgedAssets[pledgeId][i]];
        }
    }

    function _loadTerms(uint256 pledgeId) private view returns (PledgeTerms memory) {
        return PledgeRules.termsOf(_pledges[pledgeId], _assetsOf(pledgeId), _pledgorsOf(pledgeId));
    }

    function _assetsOf(uint256 pledgeId) private view returns (bytes32[] memory assetIds) {
        assetIds = new bytes32[](_pledges[pledgeId].assetCount);
        for (uint256 i; i < assetIds.length; ++i) {
            assetIds[i] = _pledgedAssets[pledgeId][i];
        }
    }

    function _pledgorsOf(uint256 pledgeId) private view returns (address[] memory pledgors) {
        pledgors = new address[](_pledges[pledgeId].pledgorCount);
        for (uint256 i; i < pledgors.length; ++i) {
            pledgors[i] = _pledgorAt(pledgeId, i);
        }
    }

    function _isPledgor(uint256 pledgeId, uint256 pledgorCount, address account) private view returns (bool) {
        for (uint256 i; i < pledgorCount; ++i) {
            if (_pledgorAt(pledgeId, i) == account) return true;
        }
        return false;
    }

    function _pledgorAt(uint256 pledgeId, uint256 index) private view returns (address) {
        return index == 0 ? _pledges[pledgeId].firstPledgor : _pledgors[pledgeId][index];
    }

    function _requireStatus(uint256 pledgeId, PledgeStatus expected)
        private
        view
        returns (Pledge storage pledge)
    {
        pledge = _pledges[pledgeId];
        if (pledge.status == PledgeStatus.None) revert PledgeNotFound(pledgeId);
        if (pledge.status != expected) revert PledgeStatusInvalid(pledgeId, pledge.status);
    }
}
