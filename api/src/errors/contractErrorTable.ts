/**
 * The contracts' custom errors as the API names and explains them: Solidity error name → [API code, message].
 * This table is the only place a contract error becomes an API code, so renaming a Solidity error cannot silently
 * rename a code (test/api/errorCatalogue.test.ts checks that every custom error of every compiled registry ABI has a
 * line here, and that no code of its pinned list disappears). One line per error; a new error is one new line.
 *
 * Messages are for a registry clerk. `{name}` is the error's argument of that name, shown in words: an asset id as
 * the asset's kind and official number ("invention patent ZL202110012345.6"), a date as YYYY-MM-DD, an instant as
 * ISO 8601, an enum value by its name. `{name|words}` reads `words` when the error has no such argument.
 */
export const CONTRACT_ERRORS = {
  // SPEC §4.2 registration rules: the code is the SPEC reason code.
  PledgorNotHolder: [
    "PLEDGOR_NOT_HOLDER",
    "the pledgor {pledgor} is not a recorded holder of {assetId|the assets pledged}",
  ],
  AssetNotInForce: ["ASSET_NOT_IN_FORCE", "{assetId} has lapsed, expired or been invalidated"],
  AssetNotGranted: ["ASSET_NOT_GRANTED", "{assetId} is only applied for, not granted"],
  AnnualFeeUnpaid: ["ANNUAL_FEE_UNPAID", "the annual fees of {assetId} are paid only until {feesPaidUntil}"],
  AssetFrozen: ["ASSET_FROZEN", "{assetId} is frozen ({freezeKind})"],
  DebtBeyondExpiry: ["DEBT_BEYOND_EXPIRY", "the debt matures after {assetId} expires on {expiryDate}"],
  ForfeitureClause: ["FORFEITURE_CLAUSE", "the pledge contract has a forfeiture clause, which the rules forbid"],
  CoOwnerConsentMissing: ["CO_OWNER_CONSENT_MISSING", "the co-owner {coOwner} of {assetId} has not signed"],
  AlreadyPledged: ["ALREADY_PLEDGED", "{assetId} is already under registered pledge {pledgeId}"],
  InvalidationPending: [
    "INVALIDATION_PENDING",
    "invalidation proceedings are pending against {assetId} and the application does not acknowledge them",
  ],
  ValuationInvalid: ["VALUATION_INVALID", "the valuation report {reportId|relied on} cannot be relied on: {verdict}"],
  PledgeeNotLicensed: ["PLEDGEE_NOT_LICENSED", "the pledgee {pledgee} is not a licensed lender"],
  SignatureInvalid: ["SIGNATURE_INVALID", "the signature of {signer} is not valid for what was submitted"],
  NonceUsed: ["NONCE_USED", "the nonce {nonce} of {signer} was used or cancelled already: sign again"],
  DeadlinePassed: ["DEADLINE_PASSED", "the signature of {signer} expired at {deadline}: sign again"],
  // Pledges
  PledgeNotFound: ["PLEDGE_NOT_FOUND", "there is no pledge {pledgeId}"],
  PledgeStatusInvalid: ["PLEDGE_STATUS_INVALID", "pledge {pledgeId} is {status}: this step is not possible now"],
  PledgePartyInvalid: ["PLEDGE_PARTY_INVALID", "{party} is not the party of pledge {pledgeId} that may do this"],
  PledgeShapeInvalid: [
    "PLEDGE_SHAPE_INVALID",
    "a pledge needs at least one asset and one pledgor ({assetCount} assets, {pledgorCount} pledgors given)",
  ],
  AssetListedTwice: ["ASSET_LISTED_TWICE", "{assetId} is listed twice"],
  PartyListedTwice: ["PARTY_LISTED_TWICE", "{party} is listed twice"],
  ConsentCountMismatch: ["CONSENT_COUNT_MISMATCH", "{pledgors} pledgors but {consents} signatures"],
  SecuredDebtInvalid: ["SECURED_DEBT_INVALID", "the secured debt is not valid (principal, currency or dates)"],
  AssetUnknown: ["ASSET_UNKNOWN", "the asset {assetId} is not in the register"],
  RiskSchemeUnknown: ["RISK_SCHEME_UNKNOWN", "there is no risk-compensation scheme {riskScheme}"],
  DefaultBeforeMaturity: [
    "DEFAULT_BEFORE_MATURITY",
    "pledge {pledgeId} matures on {maturityDate}: default can be declared earlier only with evidence",
  ],
  TransfereeRequired: ["TRANSFEREE_REQUIRED", "a disposal by transfer of pledge {pledgeId} must name the transferee"],
  // Asset register
  AssetAlreadyRecorded: ["ASSET_ALREADY_RECORDED", "{assetId} is already in the register"],
  AssetNotRecorded: ["ASSET_NOT_RECORDED", "the asset {assetId} is not in the register"],
  OfficialNumberEmpty: ["OFFICIAL_NUMBER_EMPTY", "the official number is empty"],
  HolderCountInvalid: ["HOLDER_COUNT_INVALID", "{count} holders given; an asset has 1 to {max}"],
  HolderInvalid: ["HOLDER_INVALID", "holder number {index} is not a valid holder (zero address or zero share)"],
  HolderDuplicated: ["HOLDER_DUPLICATED", "the holder {holder} is listed twice"],
  HolderSharesNotWhole: ["HOLDER_SHARES_NOT_WHOLE", "the holders' shares add up to {totalBps} bps, not 10,000"],
  AssetTermInvalid: ["ASSET_TERM_INVALID", "the term is not valid: granted {grantDate}, expiring {expiryDate}"],
  AssetStatusChangeInvalid: ["ASSET_STATUS_CHANGE_INVALID", "an asset cannot go from {from} to {to}"],
  // Valuation reports
  ReportAlreadyAnchored: ["REPORT_ALREADY_ANCHORED", "the report {documentHash} is already anchored"],
  ReportNotAnchored: ["REPORT_NOT_ANCHORED", "the report {documentHash} is not anchored"],
  ReportInvalid: [
    "REPORT_INVALID",
    "the report {documentHash} is not valid (assets, value, currency, dates, or a valuation date in the future)",
  ],
  EvaluatorNotLicensed: ["EVALUATOR_NOT_LICENSED", "the evaluator {evaluator} is not licensed"],
  ReportNotCurrent: ["REPORT_NOT_CURRENT", "the report {documentHash} is revoked or superseded already"],
  SupersessionInvalid: [
    "SUPERSESSION_INVALID",
    "the report {documentHash} cannot supersede {supersedes} (another evaluator's, not current, or an asset left out)",
  ],
  BatchNotFound: ["BATCH_NOT_FOUND", "the evaluator {evaluator} anchored no batch {root}"],
  BatchAlreadyAnchored: ["BATCH_ALREADY_ANCHORED", "the evaluator {evaluator} anchored the batch {root} already"],
  BatchRevokedAlready: ["BATCH_REVOKED_ALREADY", "the batch {root} of {evaluator} is revoked already"],
  BatchInvalid: ["BATCH_INVALID", "the batch is not valid (empty root or no reports)"],
  ReportNotInBatch: ["REPORT_NOT_IN_BATCH", "the report {documentHash} is not in the batch {root} with this proof"],
  // Loss sharing
  LossAlreadyAllocated: ["LOSS_ALREADY_ALLOCATED", "the loss of pledge {pledgeId} is split already"],
  SchemePartiesInvalid: [
    "SCHEME_PARTIES_INVALID",
    "a scheme's parties must share 10,000 bps ({count} parties, {totalBps} bps given)",
  ],
  SchemeUnknown: ["SCHEME_UNKNOWN", "there is no risk-compensation scheme {schemeId}"],
  // Licences
  AssetNotLicensable: ["ASSET_NOT_LICENSABLE", "{assetId} cannot be licensed: {reason}"],
  LicenceBeyondExpiry: ["LICENCE_BEYOND_EXPIRY", "the licence runs past the expiry of {assetId} on {expiryDate}"],
  HolderNotLicensor: ["HOLDER_NOT_LICENSOR", "{holder}, a holder of {assetId}, is not among the licensors"],
  LicensorNotHolder: ["LICENSOR_NOT_HOLDER", "the licensor {licensor} is not a recorded holder of the assets"],
  LicenseeInvalid: ["LICENSEE_INVALID", "{licensee} cannot be the licensee"],
  LicenceTermsInvalid: ["LICENCE_TERMS_INVALID", "the licence terms are not valid (dates, fees or schedule)"],
  LicenceConflict: ["LICENCE_CONFLICT", "{assetId} is exclusively licensed already until {until}"],
  LicenceNotFound: ["LICENCE_NOT_FOUND", "there is no licence {licenceId}"],
  SubLicenceNotAllowed: ["SUB_LICENCE_NOT_ALLOWED", "licence {firstLicenceId} does not allow sub-licensing"],
  NotLicensor: ["NOT_LICENSOR", "{caller} is not the licensor of licence {licenceId}"],
  ReceivableAlreadyAssigned: [
    "RECEIVABLE_ALREADY_ASSIGNED",
    "licence {licenceId}'s receivables are assigned to {pool}",
  ],
  // Investors and tranche tokens
  InvestorVettingNotAllowed: ["INVESTOR_VETTING_NOT_ALLOWED", "{caller} may not vet investors"],
  InvestorStatusUnchanged: ["INVESTOR_STATUS_UNCHANGED", "the investor {investor} is in that state already"],
  TrancheTokenOnlyPool: ["TRANCHE_TOKEN_ONLY_POOL", "only the tranche's pool may do this, not {caller}"],
  HolderNotIdentified: ["HOLDER_NOT_IDENTIFIED", "{account} is not an identified investor"],
  // Receivable pools
  // A configuration the pool refuses: one code (what clients handle), a message and details naming the check.
  PoolAddressZero: ["POOL_CONFIG_INVALID", "the pool's {field} must not be the zero address"],
  TrancheCountInvalid: ["POOL_CONFIG_INVALID", "{count} tranches given; a pool has 2 to {max}"],
  PeriodCountInvalid: ["POOL_CONFIG_INVALID", "{count} period ends given; a pool's calendar has 1 to {max}"],
  ReceivableCountInvalid: ["POOL_CONFIG_INVALID", "{count} receivables given; a pool owns 1 to {max}"],
  SubordinatedCouponNotZero: [
    "POOL_CONFIG_INVALID",
    "the subordinated tranche {tranche} has a coupon of {couponBps} bps; it must have none",
  ],
  StartDateNotBeforeFirstPeriodEnd: [
    "POOL_CONFIG_INVALID",
    "the start date {startDate} is not before the first period end {firstPeriodEnd}",
  ],
  PeriodEndsNotIncreasing: [
    "POOL_CONFIG_INVALID",
    "period end {index} ({periodEnd}) is not after the one before it ({previousEnd})",
  ],
  ReceivableListedTwice: ["POOL_CONFIG_INVALID", "licence {licenceId} is listed twice among the receivables"],
  TrancheFaceZero: ["POOL_CONFIG_INVALID", "tranche {tranche} has a face of zero"],
  ReserveTargetAboveFace: [
    "POOL_CONFIG_INVALID",
    "the reserve target {reserveTarget} is more than the tranches' total face {totalFace}",
  ],
  PoolStatusInvalid: ["POOL_STATUS_INVALID", "the pool is {status}: this step is not possible now"],
  OnlyOriginator: ["ONLY_ORIGINATOR", "only the pool's originator may do this, not {caller}"],
  SubscriptionClosed: ["SUBSCRIPTION_CLOSED", "subscriptions closed at {deadline}"],
  ClosingTooLate: ["CLOSING_TOO_LATE", "the pool can no longer close: its first period ended at {firstPeriodEnd}"],
  TrancheUnknown: ["TRANCHE_UNKNOWN", "the pool has no tranche {tranche}"],
  Oversubscribed: ["OVERSUBSCRIBED", "tranche {tranche} has only {available} left to subscribe"],
  NotFullySubscribed: ["NOT_FULLY_SUBSCRIBED", "tranche {tranche} is not fully subscribed"],
  ReceivableNotAssigned: ["RECEIVABLE_NOT_ASSIGNED", "licence {licenceId}'s receivables are not assigned to the pool"],
  ReceivableUnknown: ["RECEIVABLE_UNKNOWN", "the pool holds no receivable of licence {licenceId}"],
  InstalmentOverpaid: ["INSTALMENT_OVERPAID", "instalment {index} of licence {licenceId} has only {due} due"],
  InstalmentNotDefaultable: [
    "INSTALMENT_NOT_DEFAULTABLE",
    "instalment {index} of licence {licenceId} cannot be marked defaulted ({reason})",
  ],
  PeriodNotEnded: ["PERIOD_NOT_ENDED", "period {period} ends on {endDate}"],
  GuarantorCallUnknown: ["GUARANTOR_CALL_UNKNOWN", "there is no guarantor call {callId}"],
  GuarantorCallOverpaid: ["GUARANTOR_CALL_OVERPAID", "guarantor call {callId} has only {outstanding} outstanding"],
  NothingToClaim: ["NOTHING_TO_CLAIM", "{holder} has nothing to claim from tranche {tranche}"],
  NothingToRefund: ["NOTHING_TO_REFUND", "{holder} has nothing to be refunded from tranche {tranche}"],
  PaymentNotExact: ["PAYMENT_NOT_EXACT", "the payment token moved {received} instead of {expected}"],
  ZeroAmount: ["ZERO_AMOUNT", "the amount ({field}) must be more than zero"],
  NothingToBook: ["NOTHING_TO_BOOK", "the pool has booked all of the {tokenBalance} it holds: nothing to book"],
  TrancheOutstanding: ["TRANCHE_OUTSTANDING", "no wind-up while tranche {tranche} has {outstanding} outstanding"],
  InstalmentOpen: ["INSTALMENT_OPEN", "no wind-up while instalment {index} of licence {licenceId} is open"],
  // OpenZeppelin: access, pausing, tokens and helpers
  AccessManagedUnauthorized: ["ACCESS_MANAGED_UNAUTHORIZED", "{caller} does not hold the role this needs"],
  AccessManagedRequiredDelay: ["ACCESS_MANAGED_REQUIRED_DELAY", "{caller} must schedule this {delay} s ahead"],
  AccessManagedInvalidAuthority: ["ACCESS_MANAGED_INVALID_AUTHORITY", "{authority} is not a valid access manager"],
  AccessManagerAlreadyScheduled: ["ACCESS_MANAGER_ALREADY_SCHEDULED", "operation {operationId} is scheduled already"],
  AccessManagerBadConfirmation: ["ACCESS_MANAGER_BAD_CONFIRMATION", "the confirmation does not match"],
  AccessManagerExpired: ["ACCESS_MANAGER_EXPIRED", "operation {operationId} has expired"],
  AccessManagerInvalidInitialAdmin: ["ACCESS_MANAGER_INVALID_INITIAL_ADMIN", "{initialAdmin} cannot be the admin"],
  AccessManagerLockedFunction: ["ACCESS_MANAGER_LOCKED_FUNCTION", "function {selector} is locked"],
  AccessManagerLockedRole: ["ACCESS_MANAGER_LOCKED_ROLE", "role {roleId} is locked"],
  AccessManagerNotReady: ["ACCESS_MANAGER_NOT_READY", "operation {operationId} is not ready yet"],
  AccessManagerNotScheduled: ["ACCESS_MANAGER_NOT_SCHEDULED", "operation {operationId} is not scheduled"],
  AccessManagerUnauthorizedAccount: ["ACCESS_MANAGER_UNAUTHORIZED_ACCOUNT", "{msgsender} does not hold role {roleId}"],
  AccessManagerUnauthorizedCall: ["ACCESS_MANAGER_UNAUTHORIZED_CALL", "{caller} may not call {selector} on {target}"],
  AccessManagerUnauthorizedCancel: ["ACCESS_MANAGER_UNAUTHORIZED_CANCEL", "{msgsender} may not cancel this operation"],
  AccessManagerUnauthorizedConsume: ["ACCESS_MANAGER_UNAUTHORIZED_CONSUME", "{target} may not consume this operation"],
  EnforcedPause: ["ENFORCED_PAUSE", "this part of the register is paused"],
  ExpectedPause: ["EXPECTED_PAUSE", "this part of the register is not paused"],
  ReentrancyGuardReentrantCall: ["REENTRANCY_GUARD_REENTRANT_CALL", "a call came back into the pool while it was busy"],
  SafeERC20FailedOperation: ["SAFE_ERC20_FAILED_OPERATION", "the token {token} refused the transfer"],
  SafeCastOverflowedUintDowncast: ["SAFE_CAST_OVERFLOWED_UINT_DOWNCAST", "{value} does not fit in {bits} bits"],
  SafeCastOverflowedUintToInt: ["SAFE_CAST_OVERFLOWED_UINT_TO_INT", "{value} is too large"],
  InvalidShortString: ["INVALID_SHORT_STRING", "a short text field is not valid"],
  StringTooLong: ["STRING_TOO_LONG", "the text {str} is too long"],
  AddressEmptyCode: ["ADDRESS_EMPTY_CODE", "there is no contract at {target}"],
  FailedCall: ["FAILED_CALL", "a call to another contract failed"],
  InsufficientBalance: ["INSUFFICIENT_BALANCE", "the balance {balance} is less than {needed}"],
  ERC20InsufficientAllowance: [
    "ERC20_INSUFFICIENT_ALLOWANCE",
    "{spender} may move only {allowance} of the token, {needed} needed: approve first",
  ],
  ERC20InsufficientBalance: ["ERC20_INSUFFICIENT_BALANCE", "{sender} holds {balance} of the token, {needed} needed"],
  ERC20InvalidApprover: ["ERC20_INVALID_APPROVER", "{approver} cannot approve"],
  ERC20InvalidReceiver: ["ERC20_INVALID_RECEIVER", "{receiver} cannot receive the token"],
  ERC20InvalidSender: ["ERC20_INVALID_SENDER", "{sender} cannot send the token"],
  ERC20InvalidSpender: ["ERC20_INVALID_SPENDER", "{spender} cannot be approved"],
} as const satisfies Record<string, readonly [string, string]>;

export type ContractErrorName = keyof typeof CONTRACT_ERRORS;
export type ContractErrorCode = (typeof CONTRACT_ERRORS)[ContractErrorName][0];

/** Every contract refusal is answered 422: the request was understood, the register's rules refused it. */
export const CONTRACT_ERROR_STATUS = 422;
