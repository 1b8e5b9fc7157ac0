// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IReceivablePool} from "./interfaces/IReceivablePool.sol";
import {ILicenceRegistry} from "./interfaces/ILicenceRegistry.sol";
import {IInvestorRegistry} from "./interfaces/IInvestorRegistry.sol";
import {ITrancheToken} from "./interfaces/ITrancheToken.sol";
import {TrancheToken} from "./TrancheToken.sol";
import {Instalment} from "./types/Licence.sol";
import {
    DistributionPreview,
    GuarantorCall,
    InstalmentRecord,
    NotDefaultableReason,
    PeriodReport,
    PoolConfig,
    PoolAddressField,
    PoolAmountField,
    PoolStatus,
    Reconciliation,
    Tranche,
    TrancheConfig,
    WaterfallStep
} from "./types/Pool.sol";
import {Waterfall} from "./libraries/Waterfall.sol";

/// @title A special plan over licence-fee receivables: issuance, collections, the waterfall, claims (SPEC §6).
/// @notice Cash is the pool's payment token and stays in this contract until it leaves as proceeds, fees, claims or
/// refunds; every unit held is in exactly one bucket (escrow, collections, reserve, a tranche's claimable, dust), so
/// that `reconcile` can prove cash in = cash out + held at any moment.
contract ReceivablePool is IReceivablePool, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @inheritdoc IReceivablePool
    uint256 public constant MAX_TRANCHES = 5;
    /// @inheritdoc IReceivablePool
    uint256 public constant MAX_PERIODS = 64;
    /// @inheritdoc IReceivablePool
    uint256 public constant MAX_RECEIVABLES = 64;
    /// @inheritdoc IReceivablePool
    uint256 public constant DEFAULT_AFTER = 90 days;

    /// @inheritdoc IReceivablePool
    IERC20 public immutable paymentToken;
    /// @inheritdoc IReceivablePool
    ILicenceRegistry public immutable licences;
    /// @inheritdoc IReceivablePool
    address public immutable originator;
    /// @inheritdoc IReceivablePool
    address public immutable feeRecipient;
    /// @inheritdoc IReceivablePool
    address public immutable guarantor;
    /// @inheritdoc IReceivablePool
    uint256 public immutable guaranteeCap;
    /// @inheritdoc IReceivablePool
    uint256 public immutable feePerPeriod;
    /// @inheritdoc IReceivablePool
    uint256 public immutable reserveTarget;
    /// @inheritdoc IReceivablePool
    uint40 public immutable subscriptionDeadline;
    /// @inheritdoc IReceivablePool
    uint40 public immutable startDate;
    /// @dev The number of tranches, fixed at creation: kept as an immutable so that a claim does not read the
    /// tranche array's length from storage (a cold read, 2,100 gas).
    uint256 private immutable _trancheCount;
    /// @dev The tranche tokens (up to MAX_TRANCHES, zero beyond the count), also as immutables: a claim needs the
    /// token's address, and reading it from the tranche's record would be another cold read.
    ITrancheToken private immutable _token0;
    ITrancheToken private immutable _token1;
    ITrancheToken private immutable _token2;
    ITrancheToken private immutable _token3;
    ITrancheToken private immutable _token4;

    PoolStatus private _status;
    uint40 private _closedAt;
    uint256 private _periodsDistributed;
    uint256 private _feeArrears;
    uint256 private _guaranteeCalled;
    uint256 private _lossesDefaulted;
    uint256 private _lossesAbsorbed;

    // Buckets: every unit the pool holds is in exactly one of them.
    uint256 private _escrow;
    uint256 private _collectionsAvailable;
    uint256 private _reserve;
    uint256 private _dust;

    /// @dev Running totals of cash in and out. Claims paid are not kept: for each tranche they are what was credited
    /// less what is still claimable.
    struct CashTotals {
        uint256 subscribed;
        uint256 collected;
        uint256 unsolicited;
        uint256 guarantorPaid;
        uint256 proceedsPaid;
        uint256 feesPaid;
        uint256 refunded;
    }

    CashTotals private _totals;

    uint40[] private _periodEnds;
    uint256[] private _receivables;
    mapping(uint256 licenceId => bool owned) private _isReceivable;
    Tranche[] private _tranches;
    GuarantorCall[] private _calls;
    mapping(uint256 licenceId => mapping(uint256 index => InstalmentRecord record)) private _instalments;
    mapping(uint256 period => bytes32 digest) private _periodDigests;

    constructor(PoolConfig memory config, ILicenceRegistry licences_, IInvestorRegistry investors) {
        uint256 classCount = config.tranches.length;
        uint256 periods = config.periodEnds.length;
        uint256 receivableCount = config.receivables.length;
        _checkAddress(config.paymentToken, PoolAddressField.PaymentToken);
        _checkAddress(config.originator, PoolAddressField.Originator);
        _checkAddress(config.feeRecipient, PoolAddressField.FeeRecipient);
        if (classCount < 2 || classCount > MAX_TRANCHES) revert TrancheCountInvalid(classCount, MAX_TRANCHES);
        if (periods == 0 || periods > MAX_PERIODS) revert PeriodCountInvalid(periods, MAX_PERIODS);
        if (receivableCount == 0 || receivableCount > MAX_RECEIVABLES) {
            revert ReceivableCountInvalid(receivableCount, MAX_RECEIVABLES);
        }
        uint16 subordinatedCoupon = config.tranches[classCount - 1].couponBps;
        if (subordinatedCoupon != 0) revert SubordinatedCouponNotZero(classCount - 1, subordinatedCoupon);
        if (config.startDate >= config.periodEnds[0]) {
            revert StartDateNotBeforeFirstPeriodEnd(config.startDate, config.periodEnds[0]);
        }
        for (uint256 i = 1; i < periods; ++i) {
            if (config.periodEnds[i] <= config.periodEnds[i - 1]) {
                revert PeriodEndsNotIncreasing(i, config.periodEnds[i - 1], config.periodEnds[i]);
            }
        }

        paymentToken = IERC20(config.paymentToken);
        licences = licences_;
        originator = config.originator;
        feeRecipient = config.feeRecipient;
        guarantor = config.guarantor;
        guaranteeCap = config.guaranteeCap;
        feePerPeriod = config.feePerPeriod;
        reserveTarget = config.reserveTarget;
        subscriptionDeadline = config.subscriptionDeadline;
        startDate = config.startDate;
        _trancheCount = classCount;
        _periodEnds = config.periodEnds;
        for (uint256 i; i < receivableCount; ++i) {
            if (_isReceivable[config.receivables[i]]) revert ReceivableListedTwice(config.receivables[i], i);
            _isReceivable[config.receivables[i]] = true;
            _receivables.push(config.receivables[i]);
        }
        uint8 tokenDecimals = IERC20Metadata(config.paymentToken).decimals();
        uint256 totalFace;
        ITrancheToken[MAX_TRANCHES] memory tokens;
        for (uint256 i; i < classCount; ++i) {
            TrancheConfig memory tranche = config.tranches[i];
            if (tranche.face == 0) revert TrancheFaceZero(i);
            totalFace += tranche.face;
            // i < MAX_TRANCHES (5) fits in uint8.
            TrancheToken token = new TrancheToken(tranche.name, tranche.symbol, tokenDecimals, investors, uint8(i));
            tokens[i] = token;
            _tranches.push(
                Tranche({
                    token: token,
                    couponBps: tranche.couponBps,
                    face: tranche.face,
                    outstanding: tranche.face,
                    interestArrears: 0,
                    claimable: 0,
                    writtenDown: 0
                })
            );
        }
        if (config.reserveTarget > totalFace) revert ReserveTargetAboveFace(config.reserveTarget, totalFace);
        (_token0, _token1, _token2, _token3, _token4) = (tokens[0], tokens[1], tokens[2], tokens[3], tokens[4]);
    }

    // ───────────── issuance ─────────────

    /// @inheritdoc IReceivablePool
    function subscribe(uint256 tranche, uint256 amount) external nonReentrant {
        _requireStatus(PoolStatus.Subscription);
        if (_time() > subscriptionDeadline) revert SubscriptionClosed(subscriptionDeadline);
        Tranche storage t = _tranche(tranche);
        if (amount == 0) revert ZeroAmount(PoolAmountField.Subscription);
        uint256 available = t.face - t.token.totalSupply();
        if (amount > available) revert Oversubscribed(tranche, available);

        _escrow += amount;
        _totals.subscribed += amount;
        // The tranche token refuses an investor who is not identified.
        t.token.mint(msg.sender, amount);
        emit Subscribed(tranche, msg.sender, amount);
        _pull(msg.sender, amount);
    }

    /// @inheritdoc IReceivablePool
    function close() external nonReentrant {
        _requireOriginator();
        _requireStatus(PoolStatus.Subscription);
        if (_time() >= _periodEnds[0]) revert ClosingTooLate(_periodEnds[0]);
        for (uint256 i; i < _trancheCount; ++i) {
            if (_tranches[i].token.totalSupply() != _tranches[i].face) revert NotFullySubscribed(i);
        }
        for (uint256 i; i < _receivables.length; ++i) {
            uint256 licenceId = _receivables[i];
            bool assigned = licences.poolOf(licenceId) == address(this)
                && licences.licenceOf(licenceId).licensor == originator;
            if (!assigned) revert ReceivableNotAssigned(licenceId);
        }

        uint256 proceeds = _escrow - reserveTarget;
        _status = PoolStatus.Active;
        _closedAt = uint40(_time());
        _reserve = reserveTarget;
        _escrow = 0;
        _totals.proceedsPaid += proceeds;
        emit PoolClosed(proceeds, reserveTarget);
        paymentToken.safeTransfer(originator, proceeds);
    }

    /// @inheritdoc IReceivablePool
    function cancel() external {
        _requireStatus(PoolStatus.Subscription);
        if (msg.sender != originator && _time() <= subscriptionDeadline) revert OnlyOriginator(msg.sender);
        _status = PoolStatus.Cancelled;
        emit PoolCancelled(msg.sender);
    }

    /// @inheritdoc IReceivablePool
    function refund(uint256 tranche) external nonReentrant {
        _requireStatus(PoolStatus.Cancelled);
        ITrancheToken token = _tranche(tranche).token;
        uint256 amount = token.balanceOf(msg.sender);
        if (amount == 0) revert NothingToRefund(tranche, msg.sender);
        _escrow -= amount;
        _totals.refunded += amount;
        token.burn(msg.sender, amount);
        emit Refunded(tranche, msg.sender, amount);
        paymentToken.safeTransfer(msg.sender, amount);
    }

    // ───────────── collections ─────────────

    /// @inheritdoc IReceivablePool
    function payInstalment(uint256 licenceId, uint256 index, uint256 amount) external nonReentrant {
        _requireStatus(PoolStatus.Active);
        if (!_isReceivable[licenceId]) revert ReceivableUnknown(licenceId);
        if (amount == 0) revert ZeroAmount(PoolAmountField.InstalmentPayment);
        Instalment memory due = licences.instalmentOf(licenceId, index);
        InstalmentRecord storage record = _instalments[licenceId][index];
        if (record.paid + amount > due.amount) revert InstalmentOverpaid(licenceId, index, due.amount);

        // amount ≤ due.amount − paid, and due.amount is a uint216.
        record.paid += uint216(amount);
        record.lastPaidAt = uint40(_time());
        _collectionsAvailable += amount;
        _totals.collected += amount;
        emit InstalmentPaid(licenceId, index, msg.sender, amount, _time() > due.dueDate, record.defaulted);
        if (record.defaulted) emit RecoveryReceived(licenceId, index, amount);
        _pull(msg.sender, amount);
    }

    /// @inheritdoc IReceivablePool
    /// @dev The whole unpaid amount is allocated (SPEC §6 "Losses add up"): the subordinated tranche's outstanding
    /// first, then senior classes in reverse order of priority (A2 before A1); what exceeds every outstanding balance
    /// is absorbed by excess return. A later payment of the instalment is still accepted and distributed as collections
    /// (a recovery); the write-down stands.
    function markDefaulted(uint256 licenceId, uint256 index) external {
        _requireStatus(PoolStatus.Active);
        if (!_isReceivable[licenceId]) revert ReceivableUnknown(licenceId);
        Instalment memory due = licences.instalmentOf(licenceId, index);
        InstalmentRecord storage record = _instalments[licenceId][index];
        if (record.defaulted) {
            revert InstalmentNotDefaultable(licenceId, index, NotDefaultableReason.AlreadyDefaulted);
        }
        if (record.paid >= due.amount) revert InstalmentNotDefaultable(licenceId, index, NotDefaultableReason.Paid);
        if (_time() < due.dueDate + DEFAULT_AFTER) {
            revert InstalmentNotDefaultable(licenceId, index, NotDefaultableReason.NotOverdueLongEnough);
        }
        record.defaulted = true;
        uint256 unpaid = due.amount - record.paid;
        _lossesDefaulted += unpaid;
        emit InstalmentDefaulted(licenceId, index, unpaid);

        uint256 loss = unpaid;
        for (uint256 i = _trancheCount; i != 0 && loss != 0; --i) {
            Tranche storage t = _tranches[i - 1];
            uint256 writeDown = loss < t.outstanding ? loss : t.outstanding;
            if (writeDown == 0) continue;
            t.outstanding -= writeDown;
            t.writtenDown += writeDown;
            loss -= writeDown;
            emit LossAllocated(i - 1, writeDown);
        }
        if (loss != 0) {
            _lossesAbsorbed += loss;
            emit LossAbsorbedByExcessReturn(licenceId, index, loss);
        }
    }

    /// @inheritdoc IReceivablePool
    function payGuarantorCall(uint256 callId, uint256 amount) external nonReentrant {
        _requireStatus(PoolStatus.Active);
        if (callId >= _calls.length) revert GuarantorCallUnknown(callId);
        if (amount == 0) revert ZeroAmount(PoolAmountField.GuarantorCallPayment);
        GuarantorCall storage call = _calls[callId];
        uint256 outstanding = call.amount - call.paid;
        if (amount > outstanding) revert GuarantorCallOverpaid(callId, outstanding);
        call.paid += amount.toUint128();
        _collectionsAvailable += amount;
        _totals.guarantorPaid += amount;
        emit GuarantorPaid(callId, msg.sender, amount);
        _pull(msg.sender, amount);
    }

    // ───────────── the waterfall ─────────────

    /// @dev What a period must pay before principal: fees (with arrears) and each senior class's interest (with
    /// arrears); and the shortfall plan: what the reserve and the guarantor are to give.
    struct Dues {
        uint256 collections; // what is at hand: collected and booked since the last distribution
        uint256 fee;
        uint256[] interest;
        uint256 total;
        uint256 reserveDraw;
        uint256 guarantorCall;
        bool guarantorPulled;
    }

    /// @inheritdoc IReceivablePool
    function distribute() external nonReentrant {
        _requireStatus(PoolStatus.Active);
        uint256 period = _periodsDistributed;
        uint40 endDate = periodEndOf(period);
        if (_time() < endDate) revert PeriodNotEnded(period, endDate);
        PeriodReport memory report = _distribute(period, _periodStart(period), endDate, false);
        _payFees(report.feesPaid);
    }

    /// @inheritdoc IReceivablePool

    /// @dev The same plan (`_duesOf`), inputs (`_inflowOf`) and division (`Waterfall.allocate`) as `distribute`; only
    /// the guarantor's pull is foreseen instead of tried: it succeeds when the allowance and the balance cover it.
    function previewDistribution() external view returns (DistributionPreview memory preview) {
        _requireStatus(PoolStatus.Active);
        uint256 period = _periodsDistributed;
        uint40 start = _periodStart(period);
        uint40 end = periodEndOf(period);
        Dues memory dues = _duesOf(period, start, end, false);
        uint256 called = dues.guarantorCall;
        if (called != 0) {
            dues.guarantorPulled = paymentToken.allowance(guarantor, address(this)) >= called
                && paymentToken.balanceOf(guarantor) >= called;
        }
        preview.period = period;
        preview.startDate = start;
        preview.endDate = end;
        preview.collections = dues.collections;
        preview.reserveDrawn = dues.reserveDraw;
        preview.guarantorCalled = called;
        preview.guarantorPaid = dues.guarantorPulled ? called : 0;
        preview.inflow = _inflowOf(period, dues, false);
        preview.allocation = Waterfall.allocate(preview.inflow);
    }

    /// @inheritdoc IReceivablePool
    /// @dev The final period runs from the last distributed period's end to now: no fee of its own (no tranche is
    /// outstanding), no guarantor call, the reserve released; fee and interest arrears are paid first, then the
    /// subordinated holders receive the rest together with the dust account, credited to the unit.
    function windUp() external nonReentrant {
        _requireOriginator();
        _requireStatus(PoolStatus.Active);
        for (uint256 i; i < _trancheCount; ++i) {
            if (_tranches[i].outstanding != 0) revert TrancheOutstanding(i, _tranches[i].outstanding);
        }
        for (uint256 r; r < _receivables.length; ++r) {
            uint256 licenceId = _receivables[r];
            Instalment[] memory schedule = licences.scheduleOf(licenceId);
            for (uint256 k; k < schedule.length; ++k) {
                InstalmentRecord storage record = _instalments[licenceId][k];
                if (!record.defaulted && record.paid < schedule[k].amount) revert InstalmentOpen(licenceId, k);
            }
        }
        uint256 unbooked = paymentToken.balanceOf(address(this)) - _held();
        if (unbooked != 0) _bookUnsolicited(unbooked);

        uint256 period = _periodsDistributed;
        uint40 start = _periodStart(period);
        uint40 end = _time() > start ? uint40(_time()) : start;
        _status = PoolStatus.WoundUp;
        PeriodReport memory report = _distribute(period, start, end, true);
        emit PoolWoundUp(period, report.subordinatedPaid);
        _payFees(report.feesPaid);
    }

    /// @dev Plan (reads only), pull the guarantor's cash if a call is due, then book the waterfall and record the
    /// report; the caller pays the fees last. The pull is the one interaction before the effects because its outcome
    /// is an input of the waterfall; the books are untouched while it runs and every entry point is nonReentrant.
    function _distribute(uint256 period, uint40 start, uint40 end, bool windingUp)
        private
        returns (PeriodReport memory report)
    {
        Dues memory dues = _duesOf(period, start, end, windingUp);
        if (dues.guarantorCall != 0) dues.guarantorPulled = _tryPull(guarantor, dues.guarantorCall);

        report = _runWaterfall(period, start, end, dues, windingUp);
        _periodsDistributed = period + 1;
        report.books = _reconcile(report.feesPaid);
        bytes32 digest = keccak256(abi.encode(report));
        _periodDigests[period] = digest;
        emit PeriodDistributed(period, digest, report);
    }

    /// @dev The fees a distribution paid leave last (checks-effects-interactions).
    function _payFees(uint256 amount) private {
        if (amount != 0) paymentToken.safeTransfer(feeRecipient, amount);
    }

    /// @dev What period `period` must pay before principal, and the shortfall plan. From the end of the scheduled term
    /// the fee is charged only while some tranche is outstanding and the guarantor is never called; at wind-up only
    /// arrears are due.
    function _duesOf(uint256 period, uint40 start, uint40 end, bool windingUp)
        private
        view
        returns (Dues memory dues)
    {
        bool afterTerm = period >= _periodEnds.length;
        uint256 seniorCount = _trancheCount - 1;
        bool feeCharged = !windingUp && (!afterTerm || _anyOutstanding());
        dues.fee = (feeCharged ? feePerPeriod : 0) + _feeArrears;
        dues.total = dues.fee;
        dues.interest = new uint256[](seniorCount);
        for (uint256 i; i < seniorCount; ++i) {
            Tranche storage t = _tranches[i];
            dues.interest[i] = Waterfall.interest(t.outstanding, t.couponBps, start, end) + t.interestArrears;
            dues.total += dues.interest[i];
        }
        uint256 available = _collectionsAvailable;
        dues.collections = available;
        if (available >= dues.total) return dues;
        (dues.reserveDraw,) = Waterfall.take(_reserve, dues.total - available);
        if (afterTerm || windingUp) return dues;
        // "What is still missing" excludes what earlier calls asked for and the guarantor has not paid yet: that cash
        // is owed for the same arrears, and calling it again would spend the cap twice.
        uint256 missing = dues.total - available - dues.reserveDraw;
        uint256 unpaidCalls = _guaranteeCalled - _totals.guarantorPaid;
        if (missing > unpaidCalls && _guaranteeCalled < guaranteeCap) {
            (dues.guarantorCall,) = Waterfall.take(guaranteeCap - _guaranteeCalled, missing - unpaidCalls);
        }
    }

    /// @inheritdoc IReceivablePool
    /// @dev After the calendar, the pool keeps the rhythm of its last period, so that late recoveries are distributed
    /// in periods as long as the scheduled ones.
    function periodEndOf(uint256 period) public view returns (uint40) {
        uint256 scheduled = _periodEnds.length;
        if (period < scheduled) return _periodEnds[period];
        uint40 last = _periodEnds[scheduled - 1];
        uint40 previous = scheduled >= 2 ? _periodEnds[scheduled - 2] : startDate;
        return (last + (period - scheduled + 1) * (last - previous)).toUint40();
    }

    /// @inheritdoc IReceivablePool
    function bookUnsolicited() external nonReentrant {
        _requireStatus(PoolStatus.Active);
        uint256 balance = paymentToken.balanceOf(address(this));
        uint256 unbooked = balance - _held();
        if (unbooked == 0) revert NothingToBook(balance);
        _bookUnsolicited(unbooked);
    }

    function _bookUnsolicited(uint256 amount) private {
        _collectionsAvailable += amount;
        _totals.unsolicited += amount;
        emit UnsolicitedBooked(amount);
    }

    /// @dev SPEC §6: cover the shortfall (reserve, then guarantor, pulled now), let `Waterfall.allocate` divide the
    /// cash in SPEC order (fees → senior interest → reserve release → senior principal, turbo → reserve top-up →
    /// subordinated), then book what it decided. The inputs are read (`_inflowOf`, shared with the preview) before
    /// the books change.
    function _runWaterfall(uint256 period, uint40 start, uint40 end, Dues memory dues, bool windingUp)
        private
        returns (PeriodReport memory report)
    {
        Waterfall.Inflow memory inflow = _inflowOf(period, dues, windingUp);
        report.period = period;
        report.startDate = start;
        report.endDate = end;
        report.distributedAt = uint40(_time());
        report.collections = dues.collections;
        _collectionsAvailable = 0;
        _coverShortfall(report, dues);
        if (windingUp) _dust = 0;
        Waterfall.Allocation memory a = Waterfall.allocate(inflow);
        _book(report, inflow, a, windingUp);
        _recordAfter(report, inflow, a);
    }

    /// @dev The waterfall's inputs once the shortfall plan `dues` is covered: collections plus what the reserve and
    /// the guarantor (if its pull succeeds) give, the dues, each tranche's outstanding, and the reserve after its
    /// draw. In the last scheduled period and after, and at wind-up, the reserve's target is zero: it is released into
    /// the waterfall before principal; at wind-up the dust account goes to the subordinated holders too.
    function _inflowOf(uint256 period, Dues memory dues, bool windingUp)
        private
        view
        returns (Waterfall.Inflow memory inflow)
    {
        uint256 count = _trancheCount;
        inflow.available = dues.collections + dues.reserveDraw + (dues.guarantorPulled ? dues.guarantorCall : 0);
        inflow.feeDue = dues.fee;
        inflow.interestDue = dues.interest;
        inflow.outstanding = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            inflow.outstanding[i] = _tranches[i].outstanding;
        }
        inflow.reserve = _reserve - dues.reserveDraw;
        inflow.reserveTarget = reserveTarget;
        inflow.releaseReserve = windingUp || period + 1 >= _periodEnds.length;
        if (windingUp) inflow.sweep = _dust;
    }

    /// @dev Book an allocation step by step, in its order: arrears of what could not be paid, outstanding, reserve,
    /// credits to each tranche's holders, and one WaterfallStepped event per step that moved cash.
    function _book(
        PeriodReport memory report,
        Waterfall.Inflow memory inflow,
        Waterfall.Allocation memory a,
        bool windingUp
    ) private {
        uint256 period = report.period;
        uint256 seniorCount = inflow.interestDue.length;
        _feeArrears = inflow.feeDue - a.feesPaid;
        _totals.feesPaid += a.feesPaid;
        report.feesPaid = a.feesPaid;
        _step(period, WaterfallStep.Fees, 0, a.feesPaid);

        for (uint256 i; i < seniorCount; ++i) {
            _tranches[i].interestArrears = inflow.interestDue[i] - a.interestPaid[i];
            _credit(report, i, a.interestPaid[i], windingUp);
            _step(period, WaterfallStep.SeniorInterest, i, a.interestPaid[i]);
        }
        report.interestPaid = a.interestPaid;

        report.reserveReleased = a.reserveReleased;
        _reserve = inflow.reserve - a.reserveReleased;
        _step(period, WaterfallStep.ReserveRelease, 0, a.reserveReleased);

        // Outstanding changes only where principal was paid (no write, nor bounds check, for nothing).
        for (uint256 i; i < seniorCount; ++i) {
            if (a.principalPaid[i] != 0) _tranches[i].outstanding -= a.principalPaid[i];
            _credit(report, i, a.principalPaid[i], windingUp);
            _step(period, WaterfallStep.SeniorPrincipal, i, a.principalPaid[i]);
        }
        report.principalPaid = a.principalPaid;

        report.reserveToppedUp = a.reserveToppedUp;
        _reserve += a.reserveToppedUp;
        _step(period, WaterfallStep.ReserveTopUp, 0, a.reserveToppedUp);

        if (a.principalPaid[seniorCount] != 0) _tranches[seniorCount].outstanding -= a.principalPaid[seniorCount];
        report.subordinatedPaid = a.subordinatedPaid;
        _credit(report, seniorCount, a.subordinatedPaid, windingUp);
        _step(period, WaterfallStep.Subordinated, seniorCount, a.subordinatedPaid);
    }

    /// @dev If collections cannot pay fees and senior interest, draw the reserve, then call the guarantor (up to its
    /// cap) for what is still missing. A call the pool could pull is paid in this period; one it could not is recorded
    /// unpaid, and what it was to cover is carried forward as arrears until the guarantor pays (payGuarantorCall).
    function _coverShortfall(PeriodReport memory report, Dues memory dues) private {
        if (dues.reserveDraw != 0) {
            _reserve -= dues.reserveDraw;
            report.reserveDrawn = dues.reserveDraw;
            _step(report.period, WaterfallStep.ReserveDraw, 0, dues.reserveDraw);
        }
        uint256 called = dues.guarantorCall;
        if (called == 0) return;
        uint256 paid = dues.guarantorPulled ? called : 0;
        _guaranteeCalled += called;
        report.guarantorCalled = called;
        report.guarantorPaid = paid;
        _calls.push(GuarantorCall({period: uint64(report.period), amount: called.toUint128(), paid: paid.toUint128()}));
        uint256 callId = _calls.length - 1;
        emit GuarantorCalled(callId, report.period, called);
        _step(report.period, WaterfallStep.GuarantorCall, 0, called);
        if (paid != 0) {
            _totals.guarantorPaid += paid;
            emit GuarantorPaid(callId, guarantor, paid);
        }
    }

    /// @dev The arrears and each tranche's outstanding after the period (the pool factors): what `_book` left in the
    /// books, from the same figures (each due less what was paid), without reading them back.
    function _recordAfter(PeriodReport memory report, Waterfall.Inflow memory inflow, Waterfall.Allocation memory a)
        private
        pure
    {
        uint256 count = inflow.outstanding.length;
        report.reserveAfter = inflow.reserve - a.reserveReleased + a.reserveToppedUp;
        report.feeArrearsAfter = inflow.feeDue - a.feesPaid;
        report.interestArrearsAfter = new uint256[](count - 1);
        report.outstandingAfter = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            report.outstandingAfter[i] = inflow.outstanding[i] - a.principalPaid[i];
            if (i + 1 < count) report.interestArrearsAfter[i] = inflow.interestDue[i] - a.interestPaid[i];
        }
    }

    /// @dev Credit `amount` to a tranche's holders; what the per-token accounting cannot credit goes to dust. At
    /// wind-up the token credits the amount to the unit, so that no new dust is left.
    function _credit(PeriodReport memory report, uint256 tranche, uint256 amount, bool exact) private {
        if (amount == 0) return;
        Tranche storage t = _tranches[tranche];
        uint256 credited = exact ? t.token.distributeExact(amount) : t.token.distribute(amount);
        t.claimable += credited;
        _dust += amount - credited;
        report.dust += amount - credited;
    }

    function _step(uint256 period, WaterfallStep step, uint256 tranche, uint256 amount) private {
        if (amount != 0) emit WaterfallStepped(period, step, tranche, amount);
    }

    // ───────────── claims ─────────────

    /// @inheritdoc IReceivablePool
    function claim(uint256 tranche) external nonReentrant {
        Tranche storage t = _tranche(tranche);
        uint256 amount = _tokenOf(tranche).recordClaim(msg.sender);
        if (amount == 0) revert NothingToClaim(tranche, msg.sender);
        // Cannot underflow: holders' accumulated claims together never exceed what was credited to the tranche
        // (TrancheToken.distribute), so one holder's unclaimed part is at most the tranche's unclaimed part.
        unchecked {
            t.claimable -= amount;
        }
        emit Claimed(tranche, msg.sender, amount);
        paymentToken.safeTransfer(msg.sender, amount);
    }

    // ───────────── views ─────────────

    /// @inheritdoc IReceivablePool
    function status() external view returns (PoolStatus) {
        return _status;
    }

    /// @inheritdoc IReceivablePool
    function closedAt() external view returns (uint40) {
        return _closedAt;
    }

    /// @inheritdoc IReceivablePool
    function periodsDistributed() external view returns (uint256) {
        return _periodsDistributed;
    }

    /// @inheritdoc IReceivablePool
    function feeArrears() external view returns (uint256) {
        return _feeArrears;
    }

    /// @inheritdoc IReceivablePool
    function guaranteeCalled() external view returns (uint256) {
        return _guaranteeCalled;
    }

    /// @inheritdoc IReceivablePool
    function lossesDefaulted() external view returns (uint256) {
        return _lossesDefaulted;
    }

    /// @inheritdoc IReceivablePool
    function lossesAbsorbed() external view returns (uint256) {
        return _lossesAbsorbed;
    }

    /// @inheritdoc IReceivablePool
    function escrow() external view returns (uint256) {
        return _escrow;
    }

    /// @inheritdoc IReceivablePool
    function collectionsAvailable() external view returns (uint256) {
        return _collectionsAvailable;
    }

    /// @inheritdoc IReceivablePool
    function reserve() external view returns (uint256) {
        return _reserve;
    }

    /// @inheritdoc IReceivablePool
    function dust() external view returns (uint256) {
        return _dust;
    }

    /// @inheritdoc IReceivablePool
    function trancheOf(uint256 tranche) external view returns (Tranche memory) {
        return _tranche(tranche);
    }

    /// @inheritdoc IReceivablePool
    function trancheCount() external view returns (uint256) {
        return _trancheCount;
    }

    /// @inheritdoc IReceivablePool
    function poolFactorOf(uint256 tranche) external view returns (uint256) {
        Tranche storage t = _tranche(tranche);
        return t.outstanding * 1e18 / t.face;
    }

    /// @inheritdoc IReceivablePool
    function instalmentRecordOf(uint256 licenceId, uint256 index) external view returns (InstalmentRecord memory) {
        return _instalments[licenceId][index];
    }

    /// @inheritdoc IReceivablePool
    function guarantorCallOf(uint256 callId) external view returns (GuarantorCall memory) {
        if (callId >= _calls.length) revert GuarantorCallUnknown(callId);
        return _calls[callId];
    }

    /// @inheritdoc IReceivablePool
    function guarantorCallCount() external view returns (uint256) {
        return _calls.length;
    }

    /// @inheritdoc IReceivablePool
    function periodDigestOf(uint256 period) external view returns (bytes32) {
        return _periodDigests[period];
    }

    /// @inheritdoc IReceivablePool
    function periodEnds() external view returns (uint40[] memory) {
        return _periodEnds;
    }

    /// @inheritdoc IReceivablePool
    function receivables() external view returns (uint256[] memory) {
        return _receivables;
    }

    /// @inheritdoc IReceivablePool
    function reconcile() external view returns (Reconciliation memory) {
        return _reconcile(0);
    }

    /// @dev The books as they stand, or as they will stand once `pendingOut` (fees being paid) has left.
    function _reconcile(uint256 pendingOut) private view returns (Reconciliation memory r) {
        CashTotals memory totals = _totals;
        r.subscribed = totals.subscribed;
        r.collected = totals.collected;
        r.guarantorPaid = totals.guarantorPaid;
        r.unsolicited = totals.unsolicited;
        r.proceedsPaid = totals.proceedsPaid;
        r.feesPaid = totals.feesPaid;
        r.refunded = totals.refunded;
        r.escrow = _escrow;
        r.collectionsAvailable = _collectionsAvailable;
        r.reserve = _reserve;
        for (uint256 i; i < _trancheCount; ++i) {
            Tranche storage t = _tranches[i];
            r.trancheClaimable += t.claimable;
            r.claimsPaid += t.token.totalCredited() - t.claimable;
        }
        r.dust = _dust;
        r.tokenBalance = paymentToken.balanceOf(address(this)) - pendingOut;
        uint256 cashIn = r.subscribed + r.collected + r.guarantorPaid + r.unsolicited;
        uint256 cashOut = r.proceedsPaid + r.feesPaid + r.claimsPaid + r.refunded;
        uint256 held = r.escrow + r.collectionsAvailable + r.reserve + r.trancheClaimable + r.dust;
        // Tokens sent to the pool without going through it are shown, not hidden, until booked.
        r.unbooked = r.tokenBalance > held ? r.tokenBalance - held : 0;
        r.balanced = cashIn == cashOut + held && held + r.unbooked == r.tokenBalance;
    }

    /// @dev Everything the pool has booked: the sum of its buckets.
    function _held() private view returns (uint256 held) {
        held = _escrow + _collectionsAvailable + _reserve + _dust;
        for (uint256 i; i < _trancheCount; ++i) {
            held += _tranches[i].claimable;
        }
    }

    // ───────────── internals ─────────────

    /// @dev Pull exactly `amount` from `payer`, last in every function (checks-effects-interactions).
    function _pull(address payer, uint256 amount) private {
        uint256 before = paymentToken.balanceOf(address(this));
        paymentToken.safeTransferFrom(payer, address(this), amount);
        uint256 received = paymentToken.balanceOf(address(this)) - before;
        if (received != amount) revert PaymentNotExact(amount, received);
    }

    /// @dev Try to pull exactly `amount` from `payer` under its allowance: false if the token refused (no allowance,
    /// no balance), so that a failing guarantor cannot block a distribution.
    function _tryPull(address payer, uint256 amount) private returns (bool) {
        uint256 before = paymentToken.balanceOf(address(this));
        if (!paymentToken.trySafeTransferFrom(payer, address(this), amount)) return false;
        uint256 received = paymentToken.balanceOf(address(this)) - before;
        if (received != amount) revert PaymentNotExact(amount, received);
        return true;
    }

    /// @dev When period `period` starts: the start date, then the previous period's end.
    function _periodStart(uint256 period) private view returns (uint40) {
        return period == 0 ? startDate : periodEndOf(period - 1);
    }

    function _anyOutstanding() private view returns (bool) {
        for (uint256 i; i < _trancheCount; ++i) {
            if (_tranches[i].outstanding != 0) return true;
        }
        return false;
    }

    /// @dev The clock, virtual so that a test harness can set it.
    function _time() internal view virtual returns (uint256) {
        return block.timestamp;
    }

    function _checkAddress(address value, PoolAddressField field) private pure {
        if (value == address(0)) revert PoolAddressZero(field);
    }

    /// @dev The token of tranche `tranche` (< the tranche count), from the immutables.
    function _tokenOf(uint256 tranche) private view returns (ITrancheToken) {
        if (tranche == 0) return _token0;
        if (tranche == 1) return _token1;
        if (tranche == 2) return _token2;
        if (tranche == 3) return _token3;
        return _token4;
    }

    function _tranche(uint256 tranche) private view returns (Tranche storage) {
        if (tranche >= _trancheCount) revert TrancheUnknown(tranche);
        return _tranches[tranche];
    }

    function _requireStatus(PoolStatus expected) private view {
        if (_status != expected) revert PoolStatusInvalid(_status);
    }

    function _requireOriginator() private view {
        if (msg.sender != originator) revert OnlyOriginator(msg.sender);
    }
}
