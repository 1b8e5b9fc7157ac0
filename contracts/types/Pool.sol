// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ITrancheToken} from "../interfaces/ITrancheToken.sol";
import {Waterfall} from "../libraries/Waterfall.sol";

/// @notice Subscription → Active (closed) → WoundUp (everything left went to the subordinated holders' claims);
/// Subscription → Cancelled (refunds).
enum PoolStatus {
    Subscription,
    Active,
    Cancelled,
    WoundUp
}

/// @notice Which address of a pool's configuration is the zero address (`PoolAddressZero(field)`).
enum PoolAddressField {
    PaymentToken,
    Originator,
    FeeRecipient
}

/// @notice Which amount of a pool operation was zero (`ZeroAmount(field)`).
enum PoolAmountField {
    Subscription, // subscribe
    InstalmentPayment, // payInstalment
    GuarantorCallPayment // payGuarantorCall
}

/// @notice Why an instalment cannot be marked defaulted (`InstalmentNotDefaultable`), checked in this order.
enum NotDefaultableReason {
    AlreadyDefaulted,
    Paid, // paid in full
    NotOverdueLongEnough // not yet DEFAULT_AFTER (90 days) past its due date
}

/// @notice The steps of a period's waterfall (SPEC §6.4), one event each.
enum WaterfallStep {
    Fees,
    SeniorInterest,
    ReserveDraw,
    GuarantorCall,
    SeniorPrincipal,
    ReserveTopUp,
    ReserveRelease,
    Subordinated
}

/// @notice A tranche as configured: senior classes first in order of priority (A1, A2…), the subordinated last.
struct TrancheConfig {
    string name;
    string symbol;
    uint256 face;
    uint16 couponBps; // annual, Actual/365 Fixed; 0 for the subordinated tranche
}

/// @notice Everything a pool (special plan) is created with. Money in the payment token's smallest unit.
struct PoolConfig {
    address paymentToken;
    address originator; // also the servicer: closes the pool, receives the proceeds
    address feeRecipient; // receives the fixed fee per period
    address guarantor; // gave the shortfall-payment undertaking
    uint256 guaranteeCap; // the most the guarantor can be called for, over the pool's life
    uint256 feePerPeriod;
    uint256 reserveTarget; // funded from the proceeds at closing
    uint40 subscriptionDeadline;
    uint40 startDate; // the cut-off date of the deal documents: period 1 runs from it, whenever the pool closes
    uint40[] periodEnds; // the period calendar: the end of each scheduled period
    uint256[] receivables; // sub-licence ids whose instalments the pool owns
    TrancheConfig[] tranches;
}

/// @notice A tranche as the pool keeps it.
struct Tranche {
    ITrancheToken token;
    uint16 couponBps;
    uint256 face;
    uint256 outstanding; // principal not yet repaid (nor written down)
    uint256 interestArrears; // senior interest due but unpaid, carried forward
    uint256 claimable; // credited to holders, not yet claimed (includes holders' rounding residue)
    uint256 writtenDown; // losses allocated to the tranche (outstanding written down)
}

/// @notice What the pool records of an instalment it owns.
struct InstalmentRecord {
    uint216 paid;
    uint40 lastPaidAt;
    bool defaulted;
}

/// @notice A call on the guarantor's shortfall-payment undertaking.
struct GuarantorCall {
    uint64 period;
    uint128 amount;
    uint128 paid;
}

/// @notice One period's waterfall, as emitted and hashed (its digest can itself be anchored). Periods are numbered
/// from 0 here; people read them from 1. The pool's wind-up is its final period.
struct PeriodReport {
    uint256 period;
    uint40 startDate;
    uint40 endDate;
    uint40 distributedAt;
    uint256 collections; // cash collected since the last distribution (instalments, later guarantor payments, booked)
    uint256 reserveDrawn;
    uint256 guarantorCalled;
    uint256 guarantorPaid; // pulled from the guarantor in this distribution (0 when the pull failed)
    uint256 feesPaid;
    uint256[] interestPaid; // per senior class
    uint256[] principalPaid; // per tranche (the subordinated entry: principal part of its payment)
    uint256 reserveReleased; // in the last scheduled period (and after), the reserve is released into the waterfall
    uint256 reserveToppedUp;
    uint256 subordinatedPaid; // everything the subordinated tranche received (at wind-up: with the dust account)
    uint256 dust; // rounding that no holder could be credited with, kept in the dust account
    uint256 reserveAfter;
    uint256 feeArrearsAfter;
    uint256[] interestArrearsAfter; // per senior class
    uint256[] outstandingAfter; // per tranche: outstanding ÷ face is the pool factor
    Reconciliation books; // the pool's books right after this distribution (its transfers included)
}

/// @notice What `distribute()` would do now (`previewDistribution`): the next period's shortfall cover and the very
/// inputs and result of `Waterfall.allocate`, from the books as they stand. Periods are numbered from 0 here.
struct DistributionPreview {
    uint256 period;
    uint40 startDate;
    uint40 endDate; // distribute() runs from this instant on; the dues do not depend on when it runs
    uint256 collections; // collected and booked so far: what is paid before the distribution adds to it
    uint256 reserveDrawn;
    uint256 guarantorCalled;
    uint256 guarantorPaid; // the call if the guarantor's allowance and balance cover it now, else 0 (recorded unpaid)
    Waterfall.Inflow inflow; // the cash to divide (collections + reserve drawn + guarantor paid) and every due
    Waterfall.Allocation allocation; // each step's amount in SPEC order; what a due exceeds it by stays as arrears
}

/// @notice Conservation (SPEC §6.7): cash in = cash out + held, to the unit; held + unbooked = the payment token
/// balance, where unbooked is what was sent to the pool directly and not booked yet.
struct Reconciliation {
    uint256 subscribed;
    uint256 collected;
    uint256 guarantorPaid;
    uint256 unsolicited; // tokens sent to the pool directly and booked into collections
    uint256 proceedsPaid;
    uint256 feesPaid;
    uint256 claimsPaid;
    uint256 refunded;
    uint256 escrow;
    uint256 collectionsAvailable;
    uint256 reserve;
    uint256 trancheClaimable;
    uint256 dust;
    uint256 tokenBalance;
    uint256 unbooked; // tokens sent to the pool directly and not booked yet (see bookUnsolicited)
    bool balanced;
}
