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
import {Asset, Holder} from "./types/IPAsset.sol";
import {
    Consent,
    Disposal,
    DisposalMethod,
    Pledge,
    PledgeStatus,
    PledgeTerms,
    Reason,
    RuleFailure,
    SecuredDebt
} from "./types/Pledge.sol";
import {ValuationVerdict} from "./types/Valuation.sol";
import {AssetStanding} from "./libraries/AssetStanding.sol";
import {PledgeTypedData} from "./libraries/PledgeTypedData.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title The pledge register: paperless applications co-signed as EIP-712 typed data, the registration rules of
/// SPEC §4.2, and the lifecycle of SPEC §4.3.
/// @notice Registrar steps are `restricted` by the shared AccessManager; party steps are authorised by the party's
/// signature (or by the party sending the transaction itself); submission is open to any relayer.
contract PledgeRegistry is IPledgeRegistry, AccessManaged, Pausable, PartyConsent {
    /// @notice Most assets one pledge may cover; bounds every loop over a pledge's assets.
    uint256 public constant MAX_ASSETS = 32;
    /// @notice Most pledgors one pledge may have; bounds every loop over pledgors.
    uint256 public constant MAX_PLEDGORS = 16;
    /// @dev Rule failures one asset can produce: six asset rules plus one per co-owner (the register's MAX_HOLDERS).
    uint256 private constant _FAILURES_PER_ASSET = 6 + 16;

    IIPAssetRegister public immutable assetRegister;
    IValuationVerifier public immutable valuationVerifier;
    ILossSharing public immutable lossSharing;

    /// @inheritdoc IPledgeRegistry
    bool public instantRegistration;
    /// @inheritdoc IPledgeRegistry
    uint256 public lastPledgeId;
    uint64 private _lastRegistrationNumber;

    mapping(uint256 pledgeId => Pledge pledge) private _pledges;
    mapping(uint256 pledgeId => mapping(uint256 index => bytes32 assetId)) private _pledgedAssets;
    mapping(uint256 pledgeId => mapping(uint256 index => address pledgor)) private _pledgors;
    mapping(uint256 pledgeId => Disposal disposal) private _disposals;
    /// @dev The registered or enforced pledge that holds the asset now; 0 = free.
    mapping(bytes32 assetId => uint256 pledgeId) private _encumbrances;
    mapping(address pledgee => uint256[] pledgeIds) private _pledgesOfPledgee;
    mapping(address pledgor => uint256[] pledgeIds) private _pledgesOfPledgor;

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
        _checkShape(terms, pledgorConsents.length);
        bytes32 termsHash = PledgeTypedData.hashTerms(terms);
        bytes memory signedFields = abi.encode(PledgeTypedData.PLEDGE_APPLICATION_TYPEHASH, termsHash);

        bool[] memory consented = new bool[](terms.pledgors.length);
        for (uint256 i; i < terms.pledgors.length; ++i) {
            consented[i] = _takeConsent(terms.pledgors[i], signedFields, pledgorConsents[i]);
        }
        if (!_takeConsent(terms.pledgee, signedFields, pledgeeConsent)) revert SignatureInvalid(terms.pledgee);

        RuleFailure[] memory failures = _evaluate(terms, consented, 0);
        _refuseFor(failures, terms.valuationReportId);

        pledgeId = ++lastPledgeId;
        _store(pledgeId, terms);
        emit PledgeApplied(pledgeId, terms.pledgee, termsHash, terms, msg.sender);

        // Every rule was checked in this very transaction, so nothing can have changed in between.
        if (instantRegistration) _register(pledgeId, terms.assetIds);
    }

    /// @inheritdoc IPledgeRegistry
    function register(uint256 pledgeId) external restricted whenNotPaused {
        _requireStatus(pledgeId, PledgeStatus.Pending);
        PledgeTerms memory terms = _loadTerms(pledgeId);
        RuleFailure[] memory failures = _evaluate(terms, _allTrue(terms.pledgors.length), pledgeId);
        _refuseFor(failures, terms.valuationReportId);
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
        _checkDebt(terms.pledgee, terms.debt);
        RuleFailure[] memory failures = _evaluate(terms, consented, pledgeId);
        _refuseFor(failures, terms.valuationReportId);

        pledge.principal = newTerms.principal;
        pledge.maturityDate = newTerms.maturityDate;
        if (newTerms.pledgee != previousPledgee) {
            pledge.pledgee = newTerms.pledgee;
            _pledgesOfPledgee[newTerms.pledgee].push(pledgeId);
        }
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
    function evaluate(PledgeTerms calldata terms, Consent[] calldata pledgorConsents, Consent calldata pledgeeConsent)
        external
        view
        returns (RuleFailure[] memory)
    {
        _checkShape(terms, pledgorConsents.length);
        bytes memory signedFields =
            abi.encode(PledgeTypedData.PLEDGE_APPLICATION_TYPEHASH, PledgeTypedData.hashTerms(terms));
        uint256 pledgorCount = terms.pledgors.length;
        RuleFailure[] memory signatureFailures = new RuleFailure[](pledgorCount + 1);
        uint256 found;
        bool[] memory consented = new bool[](pledgorCount);
        for (uint256 i; i <= pledgorCount; ++i) {
            address party = i < pledgorCount ? terms.pledgors[i] : terms.pledgee;
            Consent calldata consent = i < pledgorCount ? pledgorConsents[i] : pledgeeConsent;
            (bool given, Reason problem, uint256 detail) = _inspectConsent(party, signedFields, consent);
            if (problem == Reason.None && !given && i == pledgorCount) problem = Reason.SignatureInvalid;
            if (problem != Reason.None) signatureFailures[found++] = RuleFailure(problem, bytes32(0), party, detail);
            // A pledgor whose signature is faulty is reported for that fault alone, not again as a missing consent.
            if (i < pledgorCount) consented[i] = given || problem != Reason.None;
        }
        return _concat(signatureFailures, found, _evaluate(terms, consented, 0));
    }

    /// @inheritdoc IPledgeRegistry
    function evaluatePending(uint256 pledgeId) external view returns (RuleFailure[] memory) {
        _requireStatus(pledgeId, PledgeStatus.Pending);
        PledgeTerms memory terms = _loadTerms(pledgeId);
        return _evaluate(terms, _allTrue(terms.pledgors.length), pledgeId);
    }

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

    /// @inheritdoc IPledgeRegistry
    function pledgeCountOfPledgee(address pledgee) external view returns (uint256) {
        return _pledgesOfPledgee[pledgee].length;
    }

    /// @inheritdoc IPledgeRegistry
    function pledgesOfPledgee(address pledgee, uint256 offset, uint256 limit) external view returns (uint256[] memory) {
        return _page(_pledgesOfPledgee[pledgee], offset, limit);
    }

    /// @inheritdoc IPledgeRegistry
    function pledgeCountOfPledgor(address pledgor) external view returns (uint256) {
        return _pledgesOfPledgor[pledgor].length;
    }

    /// @inheritdoc IPledgeRegistry
    function pledgesOfPledgor(address pledgor, uint256 offset, uint256 limit) external view returns (uint256[] memory) {
        return _page(_pledgesOfPledgor[pledgor], offset, limit);
    }

    /// @inheritdoc IPledgeRegistry
    function applicationDigest(PledgeTerms calldata terms, address signer, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        bytes memory signedFields =
            abi.encode(PledgeTypedData.PLEDGE_APPLICATION_TYPEHASH, PledgeTypedData.hashTerms(terms));
        return _digest(signedFields, signer, nonce, deadline);
    }

    // ───────────── the rules ─────────────

    /// @dev Every rule of SPEC §4.2 but the signature rules, for terms whose pledgors did (`consented[i]`) or did not
    /// sign. `self` is the pledge being registered or changed (its own encumbrance is no conflict), 0 for a new one.
    /// Loops are bounded: ≤ MAX_ASSETS assets × ≤ 16 holders, ≤ MAX_PLEDGORS pledgors.
    function _evaluate(PledgeTerms memory terms, bool[] memory consented, uint256 self)
        private
        view
        returns (RuleFailure[] memory failures)
    {
        uint256 pledgorCount = terms.pledgors.length;
        failures = new RuleFailure[](terms.assetIds.length * _FAILURES_PER_ASSET + pledgorCount + 2);
        uint256 n;
        bool[] memory holdsSomething = new bool[](pledgorCount);

        for (uint256 i; i < terms.assetIds.length; ++i) {
            bytes32 assetId = terms.assetIds[i];
            Asset memory asset = assetRegister.assetOf(assetId);
            if (asset.recordedAt == 0) revert AssetUnknown(assetId);
            if (AssetStanding.isNotInForce(asset, block.timestamp)) {
                failures[n++] = RuleFailure(Reason.AssetNotInForce, assetId, address(0), 0);
            }
            if (AssetStanding.isNotGranted(asset)) {
                failures[n++] = RuleFailure(Reason.AssetNotGranted, assetId, address(0), 0);
            }
            if (AssetStanding.hasUnpaidFees(asset, block.timestamp)) {
                failures[n++] = RuleFailure(Reason.AnnualFeeUnpaid, assetId, address(0), asset.feesPaidUntil);
            }
            if (AssetStanding.isFrozen(asset)) {
                failures[n++] = RuleFailure(Reason.AssetFrozen, assetId, address(0), uint256(asset.freeze));
            }
            if (asset.expiryDate != 0 && terms.debt.maturityDate > asset.expiryDate) {
                failures[n++] = RuleFailure(Reason.DebtBeyondExpiry, assetId, address(0), asset.expiryDate);
            }
            if (asset.invalidationPending && !terms.invalidationAcknowledged) {
                failures[n++] = RuleFailure(Reason.InvalidationPending, assetId, address(0), 0);
            }
            uint256 holdingPledge = _encumbrances[assetId];
            if (holdingPledge != 0 && holdingPledge != self) {
                failures[n++] = RuleFailure(Reason.AlreadyPledged, assetId, address(0), holdingPledge);
            }
            Holder[] memory holders = assetRegister.holdersOf(assetId);
            for (uint256 h; h < holders.length; ++h) {
                uint256 j = _indexOf(terms.pledgors, holders[h].holder);
                if (j != type(uint256).max) holdsSomething[j] = true;
                if (j == type(uint256).max || !consented[j]) {
                    failures[n++] = RuleFailure(Reason.CoOwnerConsentMissing, assetId, holders[h].holder, 0);
                }
            }
        }
        for (uint256 j; j < pledgorCount; ++j) {
            if (!holdsSomething[j]) {
                failures[n++] = RuleFailure(Reason.PledgorNotHolder, bytes32(0), terms.pledgors[j], 0);
            }
        }
        if (terms.forfeitureClause) failures[n++] = RuleFailure(Reason.ForfeitureClause, bytes32(0), address(0), 0);
        ValuationVerdict verdict = valuationVerifier.verdictFor(terms.valuationReportId, terms.assetIds);
        if (verdict != ValuationVerdict.Valid) {
            failures[n++] = RuleFailure(Reason.ValuationInvalid, bytes32(0), address(0), uint256(verdict));
        }
        (bool licensed,) = IAccessManager(authority()).hasRole(Roles.PLEDGEE, terms.pledgee);
        if (!licensed) failures[n++] = RuleFailure(Reason.PledgeeNotLicensed, bytes32(0), terms.pledgee, 0);

        // Trim the array to the failures found: `n` never exceeds the allocated length, so shortening the length
        // word in place is safe and saves a copy.
        assembly ("memory-safe") {
            mstore(failures, n)
        }
    }

    /// @dev SPEC §4.2 "Which reason a refusal names": reverts for the lowest-numbered failing rule (the `Reason` enum
    /// is in the SPEC's order), naming its first failure: the first asset in the application's order (for co-owners,
    /// the first holder in the register's order) or the first pledgor. Returns when no rule fails.
    function _refuseFor(RuleFailure[] memory failures, bytes32 valuationReportId) private pure {
        if (failures.length == 0) return;
        RuleFailure memory first = failures[0];
        for (uint256 i = 1; i < failures.length; ++i) {
            if (failures[i].reason < first.reason) first = failures[i];
        }
        _revertFor(first, valuationReportId);
    }

    /// @dev Reverts with the reason-code error of `failure`.
    function _revertFor(RuleFailure memory failure, bytes32 valuationReportId) private pure {
        Reason reason = failure.reason;
        if (reason == Reason.PledgorNotHolder) revert PledgorNotHolder(failure.party);
        if (reason == Reason.AssetNotInForce) revert AssetNotInForce(failure.assetId);
        if (reason == Reason.AssetNotGranted) revert AssetNotGranted(failure.assetId);
        if (reason == Reason.AnnualFeeUnpaid) revert AnnualFeeUnpaid(failure.assetId, failure.detail);
        if (reason == Reason.AssetFrozen) revert AssetFrozen(failure.assetId, failure.detail);
        if (reason == Reason.DebtBeyondExpiry) revert DebtBeyondExpiry(failure.assetId, failure.detail);
        if (reason == Reason.ForfeitureClause) revert ForfeitureClause();
        if (reason == Reason.CoOwnerConsentMissing) revert CoOwnerConsentMissing(failure.assetId, failure.party);
        if (reason == Reason.AlreadyPledged) revert AlreadyPledged(failure.assetId, failure.detail);
        if (reason == Reason.InvalidationPending) revert InvalidationPending(failure.assetId);
        if (reason == Reason.ValuationInvalid) {
            revert ValuationInvalid(valuationReportId, ValuationVerdict(failure.detail));
        }
        // The signature rules revert where they are checked; this is the last rule left.
        revert PledgeeNotLicensed(failure.party);
    }

    /// @dev Structural checks that no rule covers: sizes, duplicates, a sensible debt, known assets and scheme.
    function _checkShape(PledgeTerms calldata terms, uint256 consentCount) private view {
        uint256 assetCount = terms.assetIds.length;
        uint256 pledgorCount = terms.pledgors.length;
        if (assetCount == 0 || assetCount > MAX_ASSETS || pledgorCount == 0 || pledgorCount > MAX_PLEDGORS) {
            revert PledgeShapeInvalid(assetCount, pledgorCount);
        }
        if (consentCount != pledgorCount) revert ConsentCountMismatch(pledgorCount, consentCount);
        for (uint256 i; i < assetCount; ++i) {
            for (uint256 j; j < i; ++j) {
                if (terms.assetIds[j] == terms.assetIds[i]) revert AssetListedTwice(terms.assetIds[i]);
            }
        }
        for (uint256 i; i < pledgorCount; ++i) {
            address pledgor = terms.pledgors[i];
            if (pledgor == terms.pledgee) revert PartyListedTwice(pledgor);
            for (uint256 j; j < i; ++j) {
                if (terms.pledgors[j] == pledgor) revert PartyListedTwice(pledgor);
            }
        }
        _checkDebt(terms.pledgee, terms.debt);
        if (terms.riskScheme != 0 && !lossSharing.isActive(terms.riskScheme)) {
            revert RiskSchemeUnknown(terms.riskScheme);
        }
    }

    function _checkDebt(address pledgee, SecuredDebt memory debt) private pure {
        if (pledgee == address(0) || debt.principal == 0 || debt.startDate >= debt.maturityDate) {
            revert SecuredDebtInvalid();
        }
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
        if (assigned && _indexOf(pledgors, newTerms.pledgee) != type(uint256).max) {
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
        pledge.pledgee = terms.pledgee;
        pledge.status = PledgeStatus.Pending;
        pledge.invalidationAcknowledged = terms.invalidationAcknowledged;
        pledge.currency = terms.debt.currency;
        // Counts are bounded by MAX_ASSETS (32) and MAX_PLEDGORS (16) in _checkShape, so they fit in uint8.
        pledge.assetCount = uint8(terms.assetIds.length);
        pledge.pledgorCount = uint8(terms.pledgors.length);
        pledge.submittedAt = uint40(block.timestamp);
        pledge.startDate = terms.debt.startDate;
        pledge.maturityDate = terms.debt.maturityDate;
        pledge.riskScheme = terms.riskScheme;
        pledge.principal = terms.debt.principal;
        pledge.debtor = terms.debt.debtor;
        pledge.contractHash = terms.contractHash;
        pledge.valuationReportId = terms.valuationReportId;
        for (uint256 i; i < terms.assetIds.length; ++i) {
            _pledgedAssets[pledgeId][i] = terms.assetIds[i];
            emit AssetNamedInPledge(terms.assetIds[i], pledgeId);
        }
        for (uint256 i; i < terms.pledgors.length; ++i) {
            _pledgors[pledgeId][i] = terms.pledgors[i];
            _pledgesOfPledgor[terms.pledgors[i]].push(pledgeId);
        }
        _pledgesOfPledgee[terms.pledgee].push(pledgeId);
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

    function _loadTerms(uint256 pledgeId) private view returns (PledgeTerms memory terms) {
        Pledge storage pledge = _pledges[pledgeId];
        terms.assetIds = _assetsOf(pledgeId);
        terms.pledgors = _pledgorsOf(pledgeId);
        terms.pledgee = pledge.pledgee;
        terms.debt = SecuredDebt({
            debtor: pledge.debtor,
            principal: pledge.principal,
            currency: pledge.currency,
            startDate: pledge.startDate,
            maturityDate: pledge.maturityDate
        });
        terms.contractHash = pledge.contractHash;
        terms.valuationReportId = pledge.valuationReportId;
        terms.riskScheme = pledge.riskScheme;
        // A stored pledge never has a forfeiture clause: submission refuses one.
        terms.invalidationAcknowledged = pledge.invalidationAcknowledged;
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
            pledgors[i] = _pledgors[pledgeId][i];
        }
    }

    function _isPledgor(uint256 pledgeId, uint256 pledgorCount, address account) private view returns (bool) {
        for (uint256 i; i < pledgorCount; ++i) {
            if (_pledgors[pledgeId][i] == account) return true;
        }
        return false;
    }

    function _requireStatus(uint256 pledgeId, PledgeStatus expected) private view returns (Pledge storage pledge) {
        pledge = _pledges[pledgeId];
        if (pledge.status == PledgeStatus.None) revert PledgeNotFound(pledgeId);
        if (pledge.status != expected) revert PledgeStatusInvalid(pledgeId, pledge.status);
    }

    // ───────────── small pure helpers ─────────────

    function _indexOf(address[] memory list, address account) private pure returns (uint256) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == account) return i;
        }
        return type(uint256).max;
    }

    function _allTrue(uint256 length) private pure returns (bool[] memory flags) {
        flags = new bool[](length);
        for (uint256 i; i < length; ++i) {
            flags[i] = true;
        }
    }

    function _concat(RuleFailure[] memory head, uint256 headCount, RuleFailure[] memory tail)
        private
        pure
        returns (RuleFailure[] memory all)
    {
        all = new RuleFailure[](headCount + tail.length);
        for (uint256 i; i < headCount; ++i) {
            all[i] = head[i];
        }
        for (uint256 i; i < tail.length; ++i) {
            all[headCount + i] = tail[i];
        }
    }

    function _page(uint256[] storage ids, uint256 offset, uint256 limit) private view returns (uint256[] memory page) {
        uint256 total = ids.length;
        if (offset >= total) return page;
        uint256 end = total - offset < limit ? total : offset + limit;
        page = new uint256[](end - offset);
        for (uint256 i; i < page.length; ++i) {
            page[i] = ids[offset + i];
        }
    }
}
