// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @notice The lifecycle of a pledge (SPEC §4.3).
/// Pending → Registered → Released; Registered → Enforced → Disposed; Pending → Refused | Withdrawn.
enum PledgeStatus {
    None,
    Pending,
    Registered,
    Released,
    Enforced,
    Disposed,
    Refused,
    Withdrawn
}

/// @notice The stable reason codes of SPEC §4.2, in the SPEC's order (value = rule number), which decides the
/// reason a refusal names: the lowest-numbered failing rule. `None` is a refusal for a reason no
/// machine can check (free text). The gateway maps each to its code, e.g. PledgorNotHolder → PLEDGOR_NOT_HOLDER.
enum Reason {
    None,
    PledgorNotHolder,
    AssetNotInForce,
    AssetNotGranted,
    AnnualFeeUnpaid,
    AssetFrozen,
    DebtBeyondExpiry,
    ForfeitureClause,
    CoOwnerConsentMissing,
    AlreadyPledged,
    InvalidationPending,
    ValuationInvalid,
    PledgeeNotLicensed,
    SignatureInvalid,
    NonceUsed,
    DeadlinePassed
}

/// @notice How a pledgee realised the pledged IP after default.
enum DisposalMethod {
    Transfer, // sale or auction; ownership moves to the transferee
    ReverseLicence, // licensed back to the debtor; ownership stays
    DebtToEquity // the debt becomes equity in the debtor; ownership stays
}

/// @notice The debt a pledge secures. Money is an integer in the currency's smallest unit (fen for CNY).
struct SecuredDebt {
    bytes32 debtor; // the borrower's identifier, e.g. its unified social credit code as a bytes32 string
    uint256 principal;
    bytes3 currency; // ISO 4217, e.g. "CNY"
    uint40 startDate;
    uint40 maturityDate;
}

/// @notice What every pledgor and the pledgee sign (inside an EIP-712 `PledgeApplication`).
struct PledgeTerms {
    bytes32[] assetIds;
    address[] pledgors;
    address pledgee;
    SecuredDebt debt;
    bytes32 contractHash; // SHA-256 of the signed pledge contract document
    bytes32 valuationReportId; // the valuation report the loan relies on
    uint32 riskScheme; // risk-compensation scheme covering the loan; 0 = none
    bool forfeitureClause; // the contract says "if unpaid, the IP belongs to the pledgee" (not allowed)
    bool invalidationAcknowledged; // the parties knowingly pledge an asset under invalidation proceedings
}

/// @notice One party's consent to an action: an EIP-712 signature (ECDSA or ERC-1271) bound to a nonce and a
/// deadline. An empty signature from the party that sends the transaction itself counts as consent.
struct Consent {
    uint256 nonce;
    uint256 deadline;
    bytes signature;
}

/// @notice A pledge as stored (and as `pledgeOf` returns it): six slots, each written once at submission. The
/// principal fits in 96 bits (7.9e28 smallest units; a larger one is refused), which leaves room beside it for the
/// first pledgor, so a pledge with one pledgor needs no pledgor slot of its own. Further pledgors and every asset are
/// stored beside it (their counts are here).
struct Pledge {
    // slot 0
    address pledgee;
    PledgeStatus status;
    bool invalidationAcknowledged;
    bytes3 currency;
    uint8 assetCount;
    uint8 pledgorCount;
    uint40 submittedAt;
    // slot 1
    uint40 startDate;
    uint40 maturityDate;
    uint40 registeredAt;
    uint40 closedAt; // when released, enforced, refused or withdrawn
    uint64 registrationNumber;
    uint32 riskScheme;
    // slot 2
    uint96 principal;
    address firstPledgor;
    // slots 3..5
    bytes32 debtor;
    bytes32 contractHash;
    bytes32 valuationReportId;
}

/// @notice One failed registration rule, as the registration office's queue shows it.
/// `assetId` and `party` are zero where the rule is not about an asset or a party; `detail` carries the
/// number that explains it (fees paid until, expiry date, the blocking pledge id, the valuation verdict…).
struct RuleFailure {
    Reason reason;
    bytes32 assetId;
    address party;
    uint256 detail;
}

/// @notice The record of a disposal after enforcement.
struct Disposal {
    DisposalMethod method;
    uint40 disposedAt;
    address transferee; // zero where ownership does not move
    uint256 proceeds;
    uint256 loss; // principal − proceeds, never negative
    bytes32 evidenceHash; // SHA-256 of the disposal document (auction record, agreement)
}
