// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {
    GuarantorCall, InstalmentRecord, PeriodReport, PoolStatus, Reconciliation, Tranche, WaterfallStep
} from "../types/Pool.sol";

/// @title A special plan (专项计划) over licence-fee receivables (SPEC §6): issuance of senior and subordinated
/// tranche tokens, collection of instalments, a waterfall per period, pull-based claims, and reconciliation.
interface IReceivablePool {
    // ───────────── events ─────────────
    event Subscribed(uint256 indexed tranche, address indexed investor, uint256 amount);
    /// @notice The pool closed: `proceeds` went to the originator, `reserve` funded the risk reserve.
    event PoolClosed(uint256 proceeds, uint256 reserve);
    event PoolCancelled(address indexed by);
    event Refunded(uint256 indexed tranche, address indexed investor, uint256 amount);
    /// @notice A licensee's payment, recorded against licence and instalment; `late` after the due date.
    event InstalmentPaid(
        uint256 indexed licenceId,
        uint256 indexed index,
        address indexed payer,
        uint256 amount,
        bool late,
        bool defaulted
    );
    /// @notice An instalment unpaid 90 days after its due date was marked defaulted; `unpaid` is the loss.
    event InstalmentDefaulted(uint256 indexed licenceId, uint256 indexed index, uint256 unpaid);
    /// @notice A loss was allocated to a tranche (the subordinated first), writing its outstanding down.
    event LossAllocated(uint256 indexed tranche, uint256 amount);
    /// @notice One step of a period's waterfall; `tranche` is the class for interest and principal, else 0.
    event WaterfallStepped(uint256 indexed period, WaterfallStep indexed step, uint256 indexed tranche, uint256 amount);
    /// @notice A period was distributed; `digest` = keccak256(abi.encode(report)).
    event PeriodDistributed(uint256 indexed period, bytes32 digest, PeriodReport report);
    event GuarantorCalled(uint256 indexed callId, uint256 indexed period, uint256 amount);
    event GuarantorPaid(uint256 indexed callId, address indexed payer, uint256 amount);
    event Claimed(uint256 indexed tranche, address indexed holder, uint256 amount);
    /// @notice Payment tokens sent to the pool directly were booked as collections.
    event UnsolicitedBooked(uint256 amount);

    // ───────────── errors ─────────────
    error PoolConfigInvalid();
    error PoolStatusInvalid(PoolStatus status);
    error OnlyOriginator(address caller);
    error SubscriptionClosed();
    error TrancheUnknown(uint256 tranche);
    error Oversubscribed(uint256 tranche, uint256 available);
    error NotFullySubscribed(uint256 tranche);
    error ReceivableNotAssigned(uint256 licenceId);
    error ReceivableUnknown(uint256 licenceId);
    error InstalmentOverpaid(uint256 licenceId, uint256 index, uint256 due);
    error InstalmentNotDefaultable(uint256 licenceId, uint256 index);
    error PeriodNotEnded(uint256 period, uint256 endDate);
    error GuarantorCallUnknown(uint256 callId);
    error GuarantorCallOverpaid(uint256 callId, uint256 outstanding);
    error NothingToClaim(uint256 tranche, address holder);
    error NothingToRefund(uint256 tranche, address holder);
    /// @notice The payment token moved another amount than asked (fee-on-transfer or rebasing tokens are not money).
    error PaymentNotExact(uint256 expected, uint256 received);
    error ZeroAmount();

    // ───────────── issuance ─────────────
    /// @notice Subscribe `amount` (at face) of a tranche, paying the payment token; the investor must be identified.
    function subscribe(uint256 tranche, uint256 amount) external;

    /// @notice Close a fully subscribed pool: fund the reserve, pay the proceeds to the originator.
    /// @dev Originator only; every receivable must be assigned to this pool by its licensor, the originator.
    function close() external;

    /// @notice Cancel an unclosed pool: the originator at any time, anyone once the subscription deadline passed.
    function cancel() external;

    /// @notice After cancellation, burn the caller's tokens of a tranche and pay back what they cost.
    function refund(uint256 tranche) external;

    // ───────────── collections and distribution ─────────────
    /// @notice Pay (part of) an instalment of a receivable of the pool; anyone may pay on the licensee's behalf.
    function payInstalment(uint256 licenceId, uint256 index, uint256 amount) external;

    /// @notice Mark an instalment still unpaid 90 days after its due date (from that second on) as defaulted,
    /// allocating the loss.
    function markDefaulted(uint256 licenceId, uint256 index) external;

    /// @notice Run the waterfall of the next period once it has ended (anyone may call it).
    function distribute() external;

    /// @notice Pay (part of) a call on the guarantor; the cash enters the next period's waterfall.
    function payGuarantorCall(uint256 callId, uint256 amount) external;

    /// @notice Claim what accrued to the caller's tokens of a tranche.
    function claim(uint256 tranche) external;

    // ───────────── views ─────────────
    function status() external view returns (PoolStatus);
    function trancheOf(uint256 tranche) external view returns (Tranche memory);
    function trancheCount() external view returns (uint256);
    /// @notice Outstanding principal ÷ face, scaled by 1e18.
    function poolFactorOf(uint256 tranche) external view returns (uint256);
    function instalmentRecordOf(uint256 licenceId, uint256 index) external view returns (InstalmentRecord memory);
    function guarantorCallOf(uint256 callId) external view returns (GuarantorCall memory);
    function guarantorCallCount() external view returns (uint256);
    /// @notice The digest of a distributed period's report (zero if not distributed).
    function periodDigestOf(uint256 period) external view returns (bytes32);
    /// @notice The number of periods distributed so far.
    function periodsDistributed() external view returns (uint256);
    /// @notice Cash in = cash out + held, to the unit, and held = the payment token balance.
    function reconcile() external view returns (Reconciliation memory);
}
