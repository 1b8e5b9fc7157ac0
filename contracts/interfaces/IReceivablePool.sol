// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILicenceRegistry} from "./ILicenceRegistry.sol";
import {
    DistributionPreview,
    GuarantorCall,
    InstalmentRecord,
    NotDefaultableReason,
    PeriodReport,
    PoolAddressField,
    PoolAmountField,
    PoolStatus,
    Reconciliation,
    Tranche,
    WaterfallStep
} from "../types/Pool.sol";

/// @title A special plan (专项计划) over licence-fee receivables (SPEC §6): issuance of senior and subordinated
/// tranche tokens, collection of instalments, a waterfall per period, pull-based claims, and reconciliation.
/// @notice Periods are numbered from 0 in the contract's events and views; people read them from 1.
interface IReceivablePool {
    // ───────────── events ─────────────
    /// @notice `investor` subscribed `amount` (at face) of tranche `tranche` and paid for it.
    event Subscribed(uint256 indexed tranche, address indexed investor, uint256 amount);
    /// @notice The pool closed: `proceeds` went to the originator, `reserve` funded the risk reserve.
    event PoolClosed(uint256 proceeds, uint256 reserve);
    /// @notice The pool was cancelled before closing (`by` the originator, or anyone after the deadline).
    event PoolCancelled(address indexed by);
    /// @notice After cancellation, `investor` got back `amount` for its tokens of tranche `tranche`.
    event Refunded(uint256 indexed tranche, address indexed investor, uint256 amount);
    /// @notice A licensee's payment, recorded against licence and instalment; `late` after the due date;
    /// `defaulted` when the instalment was already marked defaulted (the payment is then also a recovery).
    event InstalmentPaid(
        uint256 indexed licenceId,
        uint256 indexed index,
        address indexed payer,
        uint256 amount,
        bool late,
        bool defaulted
    );
    /// @notice An instalment unpaid 90 days after its due date was marked defaulted; `unpaid` is the loss, allocated
    /// in the same transaction (LossAllocated per tranche, then LossAbsorbedByExcessReturn for any rest).
    event InstalmentDefaulted(uint256 indexed licenceId, uint256 indexed index, uint256 unpaid);
    /// @notice A loss was allocated to a tranche, writing its outstanding down: the subordinated first, then senior
    /// classes in reverse order of priority.
    event LossAllocated(uint256 indexed tranche, uint256 amount);
    /// @notice The part of a defaulted instalment's loss that exceeded every tranche's outstanding: no balance can be
    /// written down for it, the excess return (what the subordinated would receive beyond its principal) absorbs it.
    event LossAbsorbedByExcessReturn(uint256 indexed licenceId, uint256 indexed index, uint256 amount);
    /// @notice A defaulted instalment was paid (in part): the cash is distributed as collections.
    event RecoveryReceived(uint256 indexed licenceId, uint256 indexed index, uint256 amount);
    /// @notice One step of a period's waterfall; `tranche` is the class for interest and principal, else 0.
    event WaterfallStepped(uint256 indexed period, WaterfallStep indexed step, uint256 indexed tranche, uint256 amount);
    /// @notice A period was distributed; `digest` = keccak256(abi.encode(report)).
    event PeriodDistributed(uint256 indexed period, bytes32 digest, PeriodReport report);
    /// @notice Period `period` called the guarantor for `amount` (call `callId`); GuarantorPaid follows in the same
    /// transaction when the pool could pull the money under the guarantor's allowance.
    event GuarantorCalled(uint256 indexed callId, uint256 indexed period, uint256 amount);
    /// @notice `payer` paid `amount` of call `callId`: pulled by the distribution that made the call, or paid later.
    event GuarantorPaid(uint256 indexed callId, address indexed payer, uint256 amount);
    /// @notice `holder` claimed `amount` accrued to its tokens of tranche `tranche`.
    event Claimed(uint256 indexed tranche, address indexed holder, uint256 amount);
    /// @notice Payment tokens sent to the pool directly were booked as collections.
    event UnsolicitedBooked(uint256 amount);
    /// @notice The originator wound the pool up in final period `period`: `toSubordinated` (dust included) went to the
    /// subordinated holders' claims; the pool accepts no payment, booking or distribution any more.
    event PoolWoundUp(uint256 indexed period, uint256 toSubordinated);

    // ───────────── errors ─────────────
    /// @notice The configuration's `field` (payment token, originator or fee recipient) is the zero address.
    error PoolAddressZero(PoolAddressField field);
    /// @notice `count` tranches were configured; a pool has 2 to `max` (senior classes, then the subordinated).
    error TrancheCountInvalid(uint256 count, uint256 max);
    /// @notice `count` period ends were configured; a pool's calendar has 1 to `max`.
    error PeriodCountInvalid(uint256 count, uint256 max);
    /// @notice `count` receivables were configured; a pool owns 1 to `max`.
    error ReceivableCountInvalid(uint256 count, uint256 max);
    /// @notice The subordinated tranche (`tranche`, the last) was configured with a coupon of `couponBps`; it has none.
    error SubordinatedCouponNotZero(uint256 tranche, uint256 couponBps);
    /// @notice The start date `startDate` is not before the first period end `firstPeriodEnd`.
    error StartDateNotBeforeFirstPeriodEnd(uint256 startDate, uint256 firstPeriodEnd);
    /// @notice Period end `index` (`periodEnd`) is not after the one before it (`previousEnd`): the calendar must
    /// strictly increase.
    error PeriodEndsNotIncreasing(uint256 index, uint256 previousEnd, uint256 periodEnd);
    /// @notice Sub-licence `licenceId` is listed twice among the receivables (again at `index`).
    error ReceivableListedTwice(uint256 licenceId, uint256 index);
    /// @notice Tranche `tranche` was configured with a face of zero.
    error TrancheFaceZero(uint256 tranche);
    /// @notice The reserve target `reserveTarget` exceeds the tranches' total face `totalFace`.
    error ReserveTargetAboveFace(uint256 reserveTarget, uint256 totalFace);
    /// @notice The pool is in `status`, where this operation is not allowed (WoundUp: it accepts nothing more).
    error PoolStatusInvalid(PoolStatus status);
    /// @notice Only the originator may do this; `caller` is not it.
    error OnlyOriginator(address caller);
    /// @notice Subscription closed at `deadline`.
    error SubscriptionClosed(uint256 deadline);
    /// @notice The pool can no longer close: its first period ended at `firstPeriodEnd`.
    error ClosingTooLate(uint256 firstPeriodEnd);
    /// @notice There is no tranche `tranche`.
    error TrancheUnknown(uint256 tranche);
    /// @notice Only `available` of tranche `tranche` is left to subscribe.
    error Oversubscribed(uint256 tranche, uint256 available);
    /// @notice Tranche `tranche` is not fully subscribed: the pool cannot close.
    error NotFullySubscribed(uint256 tranche);
    /// @notice Sub-licence `licenceId` is not assigned to this pool by the originator.
    error ReceivableNotAssigned(uint256 licenceId);
    /// @notice Sub-licence `licenceId` is not a receivable of this pool.
    error ReceivableUnknown(uint256 licenceId);
    /// @notice The payment would pay instalment `index` of `licenceId` beyond its amount `due`.
    error InstalmentOverpaid(uint256 licenceId, uint256 index, uint256 due);
    /// @notice Instalment `index` of `licenceId` cannot be marked defaulted, for `reason`: it is defaulted already,
    /// paid in full, or not yet 90 days overdue.
    error InstalmentNotDefaultable(uint256 licenceId, uint256 index, NotDefaultableReason reason);
    /// @notice Period `period` ends at `endDate`, still to come.
    error PeriodNotEnded(uint256 period, uint256 endDate);
    /// @notice There is no guarantor call `callId`.
    error GuarantorCallUnknown(uint256 callId);
    /// @notice Only `outstanding` of call `callId` is unpaid.
    error GuarantorCallOverpaid(uint256 callId, uint256 outstanding);
    /// @notice `holder` has nothing to claim in tranche `tranche`.
    error NothingToClaim(uint256 tranche, address holder);
    /// @notice `holder` holds no tokens of tranche `tranche` to refund.
    error NothingToRefund(uint256 tranche, address holder);
    /// @notice The payment token moved another amount than asked (fee-on-transfer or rebasing tokens are not money).
    error PaymentNotExact(uint256 expected, uint256 received);
    /// @notice The amount `field` (a subscription, an instalment payment, a guarantor call payment) is zero.
    error ZeroAmount(PoolAmountField field);
    /// @notice There is nothing to book: the pool's token balance `tokenBalance` is what it has booked.
    error NothingToBook(uint256 tokenBalance);
    /// @notice No wind-up while tranche `tranche` has `outstanding` principal.
    error TrancheOutstanding(uint256 tranche, uint256 outstanding);
    /// @notice No wind-up while instalment `index` of `licenceId` is open (neither paid in full nor defaulted).
    error InstalmentOpen(uint256 licenceId, uint256 index);

    // ───────────── issuance ─────────────
    /// @notice Subscribe `amount` (at face) of a tranche, paying the payment token; the investor must be identified.
    function subscribe(uint256 tranche, uint256 amount) external;

    /// @notice Close a fully subscribed pool: fund the reserve, pay the proceeds to the originator.
    /// @dev Originator only, any time before the first period ends — before or after the start date: period 1 runs
    /// from the start date either way. Every receivable must be assigned to this pool by its licensor, the originator.
    function close() external;

    /// @notice Cancel an unclosed pool: the originator at any time, anyone once the subscription deadline passed.
    function cancel() external;

    /// @notice After cancellation, burn the caller's tokens of a tranche and pay back what they cost.
    function refund(uint256 tranche) external;

    // ───────────── collections and distribution ─────────────
    /// @notice Pay (part of) an instalment of a receivable of the pool; anyone may pay on the licensee's behalf.
    function payInstalment(uint256 licenceId, uint256 index, uint256 amount) external;

    /// @notice Mark an instalment still unpaid 90 days after its due date (from that second on) as defaulted,
    /// allocating its whole unpaid amount as a loss.
    function markDefaulted(uint256 licenceId, uint256 index) external;

    /// @notice Run the waterfall of the next period once it has ended (anyone may call it).
    function distribute() external;

    /// @notice What `distribute()` would do now, step by step, computed by the same code from the books as they
    /// stand — also before the period has ended (its dues do not depend on when it runs; later collections add to
    /// its cash). The guarantor's call counts as paid if its allowance and balance cover it now.
    function previewDistribution() external view returns (DistributionPreview memory);

    /// @notice Pay (part of) an unpaid call on the guarantor; the cash enters the period in which it arrives.
    function payGuarantorCall(uint256 callId, uint256 amount) external;

    /// @notice Claim what accrued to the caller's tokens of a tranche (also after the wind-up).
    function claim(uint256 tranche) external;

    /// @notice Book payment tokens sent to the pool without going through it as collections.
    function bookUnsolicited() external;

    /// @notice Wind the pool up (originator): once no tranche is outstanding and no instalment is open, everything
    /// left — collections, reserve, dust, unbooked tokens — after fee and interest arrears goes to the subordinated
    /// holders' claims in a final period; from then on the pool accepts nothing but claims.
    function windUp() external;

    // ───────────── views ─────────────
    /// @notice The most tranches a pool may have (senior classes and the subordinated).
    function MAX_TRANCHES() external view returns (uint256);
    /// @notice The most scheduled periods a pool's calendar may have.
    function MAX_PERIODS() external view returns (uint256);
    /// @notice The most receivables (sub-licences) a pool may own.
    function MAX_RECEIVABLES() external view returns (uint256);
    /// @notice An instalment still unpaid this long after its due date may be marked defaulted (SPEC §6 conventions).
    function DEFAULT_AFTER() external view returns (uint256);

    /// @notice The ERC-20 the pool is paid and pays in (cash).
    function paymentToken() external view returns (IERC20);
    /// @notice The licence registry whose sub-licences' instalments the pool owns.
    function licences() external view returns (ILicenceRegistry);
    /// @notice The originator, also the servicer: closes the pool, receives the proceeds, winds the pool up.
    function originator() external view returns (address);
    /// @notice Receives the fixed fee of each period.
    function feeRecipient() external view returns (address);
    /// @notice Gave the shortfall-payment undertaking; called for what the reserve cannot cover.
    function guarantor() external view returns (address);
    /// @notice The most the guarantor can be called for over the pool's life.
    function guaranteeCap() external view returns (uint256);
    /// @notice The fixed fee per period.
    function feePerPeriod() external view returns (uint256);
    /// @notice The reserve funded from the proceeds at closing, and topped up to this each period.
    function reserveTarget() external view returns (uint256);
    /// @notice The last second at which investors may subscribe.
    function subscriptionDeadline() external view returns (uint40);
    /// @notice Period 1 (index 0) runs from this date: the deal's cut-off date.
    function startDate() external view returns (uint40);

    /// @notice The pool's state.
    function status() external view returns (PoolStatus);
    /// @notice When the pool closed (0 before).
    function closedAt() external view returns (uint40);
    /// @notice Fees due but unpaid, carried forward.
    function feeArrears() external view returns (uint256);
    /// @notice What the guarantor has been called for so far, paid or not.
    function guaranteeCalled() external view returns (uint256);
    /// @notice Bucket: subscriptions held until closing (or refunds).
    function escrow() external view returns (uint256);
    /// @notice Bucket: cash collected and not yet distributed.
    function collectionsAvailable() external view returns (uint256);
    /// @notice Bucket: the risk reserve.
    function reserve() external view returns (uint256);
    /// @notice Bucket: rounding no holder could be credited with, paid to the subordinated holders at wind-up.
    function dust() external view returns (uint256);
    /// @notice The scheduled period ends.
    function periodEnds() external view returns (uint40[] memory);
    /// @notice When period `period` (from 0) ends: the calendar, then periods as long as the last scheduled one.
    function periodEndOf(uint256 period) external view returns (uint40);
    /// @notice The sub-licences whose instalments the pool owns.
    function receivables() external view returns (uint256[] memory);
    /// @notice A tranche as the pool keeps it.
    function trancheOf(uint256 tranche) external view returns (Tranche memory);
    /// @notice The number of tranches (senior classes, then the subordinated).
    function trancheCount() external view returns (uint256);
    /// @notice Outstanding principal ÷ face, scaled by 1e18.
    function poolFactorOf(uint256 tranche) external view returns (uint256);
    /// @notice What the pool records of an instalment.
    function instalmentRecordOf(uint256 licenceId, uint256 index) external view returns (InstalmentRecord memory);
    /// @notice A call on the guarantor.
    function guarantorCallOf(uint256 callId) external view returns (GuarantorCall memory);
    /// @notice The number of guarantor calls so far.
    function guarantorCallCount() external view returns (uint256);
    /// @notice The digest of a distributed period's report (zero if not distributed).
    function periodDigestOf(uint256 period) external view returns (bytes32);
    /// @notice The number of periods distributed so far.
    function periodsDistributed() external view returns (uint256);
    /// @notice Losses of defaulted instalments, in total: allocated to tranches plus absorbed by excess return.
    function lossesDefaulted() external view returns (uint256);
    /// @notice The part of `lossesDefaulted` that no tranche's outstanding could take.
    function lossesAbsorbed() external view returns (uint256);
    /// @notice Cash in = cash out + held, to the unit, and held = the payment token balance.
    function reconcile() external view returns (Reconciliation memory);
}
