// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Consent, Disposal, DisposalMethod, Pledge, PledgeStatus, PledgeTerms, Reason} from "../types/Pledge.sol";
import {ValuationVerdict} from "../types/Valuation.sol";
import {IPartyConsent} from "./IPartyConsent.sol";

/// @notice Each refusal of SPEC §4.2 as one custom error; names match the reason codes
/// (`PledgorNotHolder` ↔ PLEDGOR_NOT_HOLDER). The signature codes (SIGNATURE_INVALID, NONCE_USED, DEADLINE_PASSED)
/// are the errors of IPartyConsent, shared with the other registry contracts.
interface IPledgeRules {
    /// @notice PLEDGOR_NOT_HOLDER: `pledgor` holds none of the pledged assets.
    error PledgorNotHolder(address pledgor);
    /// @notice ASSET_NOT_IN_FORCE: the asset has lapsed, been invalidated or expired.
    error AssetNotInForce(bytes32 assetId);
    /// @notice ASSET_NOT_GRANTED: the asset is only applied for.
    error AssetNotGranted(bytes32 assetId);
    /// @notice ANNUAL_FEE_UNPAID: annual fees are paid only until `feesPaidUntil`.
    error AnnualFeeUnpaid(bytes32 assetId, uint256 feesPaidUntil);
    /// @notice ASSET_FROZEN: an ownership dispute or a preservation order (`freezeKind`) freezes the asset.
    error AssetFrozen(bytes32 assetId, uint256 freezeKind);
    /// @notice DEBT_BEYOND_EXPIRY: the debt matures after the asset expires on `expiryDate`.
    error DebtBeyondExpiry(bytes32 assetId, uint256 expiryDate);
    /// @notice FORFEITURE_CLAUSE: the contract lets the IP fall to the pledgee if unpaid.
    error ForfeitureClause();
    /// @notice CO_OWNER_CONSENT_MISSING: `coOwner`, a holder of the asset, has not signed.
    error CoOwnerConsentMissing(bytes32 assetId, address coOwner);
    /// @notice ALREADY_PLEDGED: the asset is under registered pledge `pledgeId`.
    error AlreadyPledged(bytes32 assetId, uint256 pledgeId);
    /// @notice INVALIDATION_PENDING: invalidation proceedings are pending and the parties did not acknowledge it.
    error InvalidationPending(bytes32 assetId);
    /// @notice VALUATION_INVALID: the report is unknown, revoked, superseded, expired or does not cover every asset.
    error ValuationInvalid(bytes32 reportId, ValuationVerdict verdict);
    /// @notice PLEDGEE_NOT_LICENSED: the pledgee is not a licensed lender.
    error PledgeeNotLicensed(address pledgee);

    // ───────────── what an application or a pending pledge can fail on besides the reason codes ─────────────
    /// @notice No pledge has this id.
    error PledgeNotFound(uint256 pledgeId);
    /// @notice The pledge is in `status`, where this step is not allowed.
    error PledgeStatusInvalid(uint256 pledgeId, PledgeStatus status);
    /// @notice An application needs 1 to MAX_ASSETS assets and 1 to MAX_PLEDGORS pledgors.
    error PledgeShapeInvalid(uint256 assetCount, uint256 pledgorCount);
    /// @notice The same asset is listed twice.
    error AssetListedTwice(bytes32 assetId);
    /// @notice The same party is listed twice (or the pledgee is also a pledgor).
    error PartyListedTwice(address party);
    /// @notice One consent is needed per pledgor.
    error ConsentCountMismatch(uint256 pledgors, uint256 consents);
    /// @notice The pledgee is the zero address, the principal is zero or above 2^96 − 1 (7.9e28 smallest units), or
    /// the debt does not start before it matures.
    error SecuredDebtInvalid();
    /// @notice The application names an asset that is not in the asset register.
    error AssetUnknown(bytes32 assetId);
    /// @notice The application names a risk-compensation scheme that does not exist or is retired.
    error RiskSchemeUnknown(uint32 riskScheme);
}

/// @title The pledge register (SPEC §4): paperless applications, registration, change, release, enforcement.
interface IPledgeRegistry is IPledgeRules, IPartyConsent {
    /// @notice What a bank asks of an asset (SPEC §4.4), answered in one call.
    struct CollateralStatus {
        bool pledged; // under a registered or enforced pledge now
        uint256 pledgeId;
        PledgeStatus status;
        address pledgee;
        uint256 principal;
        bytes3 currency;
        uint40 maturityDate;
        uint64 registrationNumber;
        uint40 registeredAt;
        bytes32 valuationReportId;
        ValuationVerdict valuationVerdict; // the report's state now (it may have been revoked since)
    }

    /// @notice New terms of a registered pledge (变更), signed by every pledgor, the pledgee and a new pledgee.
    struct PledgeChange {
        uint256 principal;
        uint40 maturityDate;
        address pledgee; // the current pledgee, or the assignee when the loan is assigned
    }

    /// @notice The signatures on a change: one per pledgor (in the pledge's order), the pledgee's, and the new
    /// pledgee's when the loan is assigned (ignored otherwise).
    struct ChangeConsents {
        Consent[] pledgors;
        Consent pledgee;
        Consent newPledgee;
    }

    /// @notice What the pledgee records of a disposal.
    struct DisposalTerms {
        DisposalMethod method;
        uint256 proceeds;
        address transferee; // required for a transfer; zero where ownership does not move
        bytes32 evidenceHash;
    }

    // ───────────── events ─────────────
    /// @notice A signed application was submitted; `terms` are everything the parties signed.
    event PledgeApplied(
        uint256 indexed pledgeId,
        address indexed pledgee,
        bytes32 indexed termsHash,
        PledgeTerms terms,
        address submitter
    );
    /// @notice Pledge `pledgeId` names asset `assetId` (one per asset of an application), so that an asset's pledge
    /// history can be found by filtering on the asset, without reading every application.
    event AssetNamedInPledge(bytes32 indexed assetId, uint256 indexed pledgeId);
    /// @notice Pledge `pledgeId` names `pledgor` (one per pledgor of an application), so that a party's pledges are
    /// found by filtering on it. A pledgee's are found by the indexed pledgee of `PledgeApplied` and `PledgeChanged`.
    event PledgorNamedInPledge(address indexed pledgor, uint256 indexed pledgeId);
    /// @notice The pledge was registered under `registrationNumber`.
    event PledgeRegistered(uint256 indexed pledgeId, uint64 indexed registrationNumber, uint40 registeredAt);
    /// @notice The registrar refused the application, for a reason code or (`Reason.None`) the free-text `note`.
    event PledgeRefused(uint256 indexed pledgeId, Reason reason, string note);
    /// @notice A party withdrew the pending application.
    event PledgeWithdrawn(uint256 indexed pledgeId, address indexed party);
    /// @notice The parties changed the pledge's terms (amount, maturity, pledgee).
    event PledgeChanged(
        uint256 indexed pledgeId,
        address indexed previousPledgee,
        address indexed pledgee,
        uint256 principal,
        uint40 maturityDate
    );
    /// @notice The pledgee released the pledge; its assets are free.
    event PledgeReleased(uint256 indexed pledgeId, address indexed pledgee);
    /// @notice The pledgee declared default; the pledge is being enforced.
    event PledgeEnforced(uint256 indexed pledgeId, address indexed pledgee, bytes32 evidenceHash);
    /// @notice The pledgee recorded the disposal of the pledged assets.
    event PledgeDisposed(
        uint256 indexed pledgeId,
        DisposalMethod method,
        uint256 proceeds,
        address indexed transferee,
        uint256 loss,
        bytes32 evidenceHash
    );
    /// @notice The registrar switched instant registration on or off.
    event InstantRegistrationSet(bool enabled);

    // ───────────── errors (besides the reason codes) ─────────────
    /// @notice `party` is not a party of the pledge who may take this step.
    error PledgePartyInvalid(uint256 pledgeId, address party);
    /// @notice Default may be declared before maturity only with evidence of an earlier default event.
    error DefaultBeforeMaturity(uint256 pledgeId, uint40 maturityDate);
    /// @notice A transfer disposal must name the transferee.
    error TransfereeRequired(uint256 pledgeId);

    // ───────────── actions ─────────────
    /// @notice Submit an application signed by every pledgor and the pledgee (anyone may relay it). Every rule of
    /// SPEC §4.2 is checked; the first failure reverts with its reason-code error. With instant registration on,
    /// an application that passes is registered in the same transaction.
    /// @param terms What the parties signed.
    /// @param pledgorConsents One consent per `terms.pledgors[i]`; an empty signature means "not signed", except
    /// from the pledgor that sends the transaction.
    /// @param pledgeeConsent The pledgee's consent (required).
    /// @return pledgeId The application's id, also the pledge's id once registered.
    function submitApplication(
        PledgeTerms calldata terms,
        Consent[] calldata pledgorConsents,
        Consent calldata pledgeeConsent
    ) external returns (uint256 pledgeId);

    /// @notice Register a pending application after checking every rule again (state may have changed).
    /// @dev Registrar only.
    function register(uint256 pledgeId) external;

    /// @notice Refuse a pending application for a reason code, or for a free-text reason (`Reason.None`).
    /// @dev Registrar only.
    function refuse(uint256 pledgeId, Reason reason, string calldata note) external;

    /// @notice Withdraw a pending application; `party` (the pledgee or a pledgor) consents.
    function withdraw(uint256 pledgeId, address party, Consent calldata consent) external;

    /// @notice Change a registered pledge's amount, maturity or pledgee. Every pledgor and the pledgee sign; a new
    /// pledgee signs too. The rules of SPEC §4.2 apply to the new terms.
    function change(uint256 pledgeId, PledgeChange calldata newTerms, ChangeConsents calldata consents) external;

    /// @notice Release a registered pledge (注销); the pledgee consents. The assets are free at once.
    function release(uint256 pledgeId, Consent calldata pledgeeConsent) external;

    /// @notice Declare default on a registered pledge; the pledgee consents. Before maturity only with
    /// `evidenceHash` of the earlier default event. The pledge can then no longer be released.
    function declareDefault(uint256 pledgeId, bytes32 evidenceHash, Consent calldata pledgeeConsent) external;

    /// @notice Record the disposal of an enforced pledge; the pledgee consents. The unrecovered loss is shared by
    /// the pledge's risk-compensation scheme, if any: every disposal under a scheme gets exactly one split record,
    /// a loss of zero too (every share 0). Without a scheme no split is recorded: the bank bears the whole loss.
    /// Where ownership moved, the registrar then records the new holder in the asset register.
    function recordDisposal(uint256 pledgeId, DisposalTerms calldata terms, Consent calldata pledgeeConsent)
        external;

    /// @notice Switch instant registration on or off.
    /// @dev Registrar only.
    function setInstantRegistration(bool enabled) external;

    // ───────────── views ─────────────
    /// @notice SPEC §4.4: is the asset pledged now, by which pledge, to whom, for how much, until when, on which
    /// valuation — in one call.
    function collateralStatusOf(bytes32 assetId) external view returns (CollateralStatus memory);

    /// @notice The pledge's record.
    function pledgeOf(uint256 pledgeId) external view returns (Pledge memory);

    /// @notice The pledge's assets.
    function pledgedAssetsOf(uint256 pledgeId) external view returns (bytes32[] memory);

    /// @notice The pledge's pledgors.
    function pledgorsOf(uint256 pledgeId) external view returns (address[] memory);

    /// @notice The disposal record of a disposed pledge.
    function disposalOf(uint256 pledgeId) external view returns (Disposal memory);

    /// @notice Whether applications that pass every rule are registered at once.
    function instantRegistration() external view returns (bool);

    /// @notice The id the next application will get minus one (ids start at 1).
    function lastPledgeId() external view returns (uint256);
}
