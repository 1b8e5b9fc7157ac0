// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {IPledgeRules} from "../interfaces/IPledgeRegistry.sol";
import {IIPAssetRegister} from "../interfaces/IIPAssetRegister.sol";
import {IValuationVerifier} from "../interfaces/IValuationVerifier.sol";
import {ILossSharing} from "../interfaces/ILossSharing.sol";
import {Asset, Holder} from "../types/IPAsset.sol";
import {Pledge, PledgeTerms, Reason, RuleFailure, SecuredDebt} from "../types/Pledge.sol";
import {ValuationVerdict} from "../types/Valuation.sol";
import {AssetStanding} from "./AssetStanding.sol";
import {Roles} from "./Roles.sol";

/// @title The registration rules of SPEC §4.2 (all but the signature rules, which PartyConsent checks) and the
/// structural checks of an application: the one rules engine of the pledge register, used by the register itself
/// (submission, registration, change) and by its read-only lens (the preflight `evaluate` and `evaluatePending`).
/// @notice Deployed once and linked into both (its public functions run by DELEGATECALL, its reverts bubble up), so
/// neither carries a copy of its code: that keeps the register well under the contract size limit.
library PledgeRules {
    /// @notice Most assets one pledge may cover; bounds every loop over a pledge's assets.
    uint256 internal constant MAX_ASSETS = 32;
    /// @notice Most pledgors one pledge may have; bounds every loop over pledgors.
    uint256 internal constant MAX_PLEDGORS = 16;
    /// @dev Rule failures one asset can produce: six asset rules plus one per co-owner (the register's MAX_HOLDERS).
    uint256 private constant _FAILURES_PER_ASSET = 6 + 16;

    /// @notice Where the rules read the world: the asset register, the valuation reports, the loss-sharing schemes
    /// and the AccessManager that licenses pledgees.
    struct Sources {
        IIPAssetRegister assetRegister;
        IValuationVerifier valuationVerifier;
        ILossSharing lossSharing;
        IAccessManager accessManager;
    }

    /// @dev Structural checks that no rule covers: sizes, duplicates, a sensible debt, a known scheme.
    function checkShape(Sources memory sources, PledgeTerms calldata terms, uint256 consentCount) public view {
        uint256 assetCount = terms.assetIds.length;
        uint256 pledgorCount = terms.pledgors.length;
        if (assetCount == 0 || assetCount > MAX_ASSETS || pledgorCount == 0 || pledgorCount > MAX_PLEDGORS) {
            revert IPledgeRules.PledgeShapeInvalid(assetCount, pledgorCount);
        }
        if (consentCount != pledgorCount) revert IPledgeRules.ConsentCountMismatch(pledgorCount, consentCount);
        for (uint256 i; i < assetCount; ++i) {
            for (uint256 j; j < i; ++j) {
                if (terms.assetIds[j] == terms.assetIds[i]) revert IPledgeRules.AssetListedTwice(terms.assetIds[i]);
            }
        }
        for (uint256 i; i < pledgorCount; ++i) {
            address pledgor = terms.pledgors[i];
            if (pledgor == terms.pledgee) revert IPledgeRules.PartyListedTwice(pledgor);
            for (uint256 j; j < i; ++j) {
                if (terms.pledgors[j] == pledgor) revert IPledgeRules.PartyListedTwice(pledgor);
            }
        }
        checkDebt(terms.pledgee, terms.debt);
        if (terms.riskScheme != 0 && !sources.lossSharing.isActive(terms.riskScheme)) {
            revert IPledgeRules.RiskSchemeUnknown(terms.riskScheme);
        }
    }

    /// @dev A debt needs a pledgee, a principal that fits in 96 bits (how the register stores it) and a start before
    /// its maturity.
    function checkDebt(address pledgee, SecuredDebt memory debt) internal pure {
        if (
            pledgee == address(0) || debt.principal == 0 || debt.principal > type(uint96).max
                || debt.startDate >= debt.maturityDate
        ) {
            revert IPledgeRules.SecuredDebtInvalid();
        }
    }

    /// @dev Reverts with the reason-code error of the rule SPEC §4.2 names first, if any rule fails (arguments as
    /// for `evaluate`).
    function enforce(
        Sources memory sources,
        PledgeTerms memory terms,
        bool[] memory consented,
        uint256 self,
        uint256[] memory holdingPledges
    ) public view {
        _refuseFor(evaluate(sources, terms, consented, self, holdingPledges), terms.valuationReportId);
    }

    /// @dev Every rule of SPEC §4.2 but the signature rules, for terms whose pledgors did (`consented[i]`) or did not
    /// sign. `holdingPledges[i]` is the registered or enforced pledge holding `terms.assetIds[i]` now (0 = free);
    /// `self` is the pledge being registered or changed (its own encumbrance is no conflict), 0 for a new one.
    /// Loops are bounded: ≤ MAX_ASSETS assets × ≤ 16 holders, ≤ MAX_PLEDGORS pledgors.
    function evaluate(
        Sources memory sources,
        PledgeTerms memory terms,
        bool[] memory consented,
        uint256 self,
        uint256[] memory holdingPledges
    ) public view returns (RuleFailure[] memory failures) {
        uint256 pledgorCount = terms.pledgors.length;
        failures = new RuleFailure[](terms.assetIds.length * _FAILURES_PER_ASSET + pledgorCount + 2);
        uint256 n;
        bool[] memory holdsSomething = new bool[](pledgorCount);

        for (uint256 i; i < terms.assetIds.length; ++i) {
            bytes32 assetId = terms.assetIds[i];
            Asset memory asset = sources.assetRegister.assetOf(assetId);
            if (asset.recordedAt == 0) revert IPledgeRules.AssetUnknown(assetId);
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
            uint256 holdingPledge = holdingPledges[i];
            if (holdingPledge != 0 && holdingPledge != self) {
                failures[n++] = RuleFailure(Reason.AlreadyPledged, assetId, address(0), holdingPledge);
            }
            Holder[] memory holders = sources.assetRegister.holdersOf(assetId);
            for (uint256 h; h < holders.length; ++h) {
                uint256 j = indexOf(terms.pledgors, holders[h].holder);
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
        ValuationVerdict verdict = sources.valuationVerifier.verdictFor(terms.valuationReportId, terms.assetIds);
        if (verdict != ValuationVerdict.Valid) {
            failures[n++] = RuleFailure(Reason.ValuationInvalid, bytes32(0), address(0), uint256(verdict));
        }
        (bool licensed,) = sources.accessManager.hasRole(Roles.PLEDGEE, terms.pledgee);
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

    /// @dev The terms of a stored pledge, as its parties signed them.
    function termsOf(Pledge memory pledge, bytes32[] memory assetIds, address[] memory pledgors)
        internal
        pure
        returns (PledgeTerms memory terms)
    {
        terms.assetIds = assetIds;
        terms.pledgors = pledgors;
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

    /// @dev The position of `account` in `list`, or type(uint256).max.
    function indexOf(address[] memory list, address account) internal pure returns (uint256) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == account) return i;
        }
        return type(uint256).max;
    }

    /// @dev `length` flags, all true: every pledgor of a stored pledge signed its application.
    function allTrue(uint256 length) internal pure returns (bool[] memory flags) {
        flags = new bool[](length);
        for (uint256 i; i < length; ++i) {
            flags[i] = true;
        }
    }

    /// @dev Reverts with the reason-code error of `failure`.
    function _revertFor(RuleFailure memory failure, bytes32 valuationReportId) private pure {
        Reason reason = failure.reason;
        if (reason == Reason.PledgorNotHolder) revert IPledgeRules.PledgorNotHolder(failure.party);
        if (reason == Reason.AssetNotInForce) revert IPledgeRules.AssetNotInForce(failure.assetId);
        if (reason == Reason.AssetNotGranted) revert IPledgeRules.AssetNotGranted(failure.assetId);
        if (reason == Reason.AnnualFeeUnpaid) revert IPledgeRules.AnnualFeeUnpaid(failure.assetId, failure.detail);
        if (reason == Reason.AssetFrozen) revert IPledgeRules.AssetFrozen(failure.assetId, failure.detail);
        if (reason == Reason.DebtBeyondExpiry) revert IPledgeRules.DebtBeyondExpiry(failure.assetId, failure.detail);
        if (reason == Reason.ForfeitureClause) revert IPledgeRules.ForfeitureClause();
        if (reason == Reason.CoOwnerConsentMissing) {
            revert IPledgeRules.CoOwnerConsentMissing(failure.assetId, failure.party);
        }
        if (reason == Reason.AlreadyPledged) revert IPledgeRules.AlreadyPledged(failure.assetId, failure.detail);
        if (reason == Reason.InvalidationPending) revert IPledgeRules.InvalidationPending(failure.assetId);
        if (reason == Reason.ValuationInvalid) {
            revert IPledgeRules.ValuationInvalid(valuationReportId, ValuationVerdict(failure.detail));
        }
        // The signature rules revert where they are checked; this is the last rule left.
        revert IPledgeRules.PledgeeNotLicensed(failure.party);
    }
}
