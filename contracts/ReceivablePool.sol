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
    GuarantorCall,
    InstalmentRecord,
    PeriodReport,
    PoolConfig,
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

    uint256 public constant MAX_TRANCHES = 5;
    uint256 public constant MAX_PERIODS = 64;
    uint256 public constant MAX_RECEIVABLES = 64;
    /// @notice An instalment still unpaid this long after its due date may be marked defaulted (SPEC §6 conventions).
    uint256 public constant DEFAULT_AFTER = 90 days;

    IERC20 public immutable paymentToken;
    ILicenceRegistry public immutable licences;
    address public immutable originator;
    address public immutable feeRecipient;
    address public immutable guarantor;
    uint256 public immutable guaranteeCap;
    uint256 public immutable feePerPeriod;
    uint256 public immutable reserveTarget;
    uint40 public immutable subscriptionDeadline;

    /// @inheritdoc IReceivablePool
    PoolStatus public status;
    uint40 public closedAt;
    /// @inheritdoc IReceivablePool
    uint256 public periodsDistributed;
    uint256 public feeArrears;
    uint256 public guaranteeCalled;

    // Buckets: every unit the pool holds is in exactly one of them.
    uint256 public escrow;
    uint256 public collectionsAvailable;
    uint256 public reserve;
    uint256 public dust;

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
        uint256 totalFace;
        bool sensible = config.paymentToken != address(0) && config.originator != address(0)
            && config.feeRecipient != address(0) && classCount >= 2 && classCount <= MAX_TRANCHES && periods != 0
            && periods <= MAX_PERIODS && config.receivables.length != 0
            && config.receivables.length <= MAX_RECEIVABLES && config.tranches[classCount - 1].couponBps == 0;
        if (!sensible) revert PoolConfigInvalid();
        for (uint256 i = 1; i < periods; ++i) {
            if (config.periodEnds[i] <= config.periodEnds[i - 1]) revert PoolConfigInvalid();
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
        _periodEnds = config.periodEnds;
        for (uint256 i; i < config.receivables.length; ++i) {
            if (_isReceivable[config.receivables[i]]) revert PoolConfigInvalid();
            _isReceivable[config.receivables[i]] = true;
            _receivables.push(config.receivables[i]);
        }
        uint8 tokenDecimals = IERC20Metadata(config.paymentToken).decimals();
        for (uint256 i; i < classCount; ++i) {
            if (config.tranches[i].face == 0) revert PoolConfigInvalid();
            totalFace += config.tranches[i].face;
            // i < MAX_TRANCHES (5) fits in uint8.
            TrancheConfig memory tranche = config.tranches[i];
            TrancheToken token = new TrancheToken(tranche.name, tranche.symbol, tokenDecimals, investors, uint8(i));
            _tranches.push(
                Tranche({
                    token: token,
                    couponBps: config.tranches[i].couponBps,
                    face: config.tranches[i].face,
                    outstanding: config.tranches[i].face,
                    interestArrears: 0,
                    claimable: 0,
                    writtenDown: 0
                })
            );
        }
        if (config.reserveTarget > totalFace) revert PoolConfigInvalid();
    }

    // ───────────── issuance ─────────────

    /// @inheritdoc IReceivablePool
    function subscribe(uint256 tranche, uint256 amount) external nonReentrant {
        _requireStatus(PoolStatus.Subscription);
        if (block.timestamp > subscriptionDeadline) revert SubscriptionClosed();
        Tranche storage t = _tranche(tranche);
        if (amount == 0) revert ZeroAmount();
        uint256 available = t.face - t.token.totalSupply();
        if (amount > available) revert Oversubscribed(tranche, available);

        escrow += amount;
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
        if (block.timestamp >= _periodEnds[0]) revert SubscriptionClosed();
        for (uint256 i; i < _tranches.length; ++i) {
            if (_tranches[i].token.totalSupply() != _tranches[i].face) revert NotFullySubscribed(i);
        }
        for (uint256 i; i < _receivables.length; ++i) {
            uint256 licenceId = _receivables[i];
            bool assigned = licences.poolOf(licenceId) == address(this)
                && licences.licenceOf(licenceId).licensor == originator;
            if (!assigned) revert ReceivableNotAssigned(licenceId);
        }

        uint256 proceeds = escrow - reserveTarget;
        status = PoolStatus.Active;
        closedAt = uint40(block.timestamp);
        reserve = reserveTarget;
        escrow = 0;
        _totals.proceedsPaid += proceeds;
        emit PoolClosed(proceeds, reserveTarget);
        paymentToken.safeTransfer(originator, proceeds);
    }

    /// @inheritdoc IReceivablePool
    function cancel() external {
        _requireStatus(PoolStatus.Subscription);
        if (msg.sender != originator && block.timestamp <= subscriptionDeadline) revert OnlyOriginator(msg.sender);
        status = PoolStatus.Cancelled;
        emit PoolCancelled(msg.sender);
    }

    /// @inheritdoc IReceivablePool
    function refund(uint256 tranche) external nonReentrant {
        _requireStatus(PoolStatus.Cancelled);
        ITrancheToken token = _tranche(tranche).token;
        uint256 amount = token.balanceOf(msg.sender);
        if (amount == 0) revert NothingToRefund(tranche, msg.sender);
        escrow -= amount;
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
        if (amount == 0) revert ZeroAmount();
        Instalment memory due = licences.instalmentOf(licenceId, index);
        InstalmentRecord storage record = _instalments[licenceId][index];
        if (record.paid + amount > due.amount) revert InstalmentOverpaid(licenceId, index, due.amount);

        // amount ≤ due.amount − paid, and due.amount is a uint216.
        record.paid += uint216(amount);
        record.lastPaidAt = uint40(block.timestamp);
        collectionsAvailable += amount;
        _totals.collected += amount;
        emit InstalmentPaid(licenceId, index, msg.sender, amount, block.timestamp > due.dueDate, record.defaulted);
        _pull(msg.sender, amount);
    }

    /// @inheritdoc IReceivablePool
    /// @dev The loss writes the subordinated tranche down first (SPEC §6.4). Senior classes are never written down
    /// while the pool runs: their shortfalls are met by the reserve and the guarantor. A later payment of the
    /// instalment is still accepted and distributed; the write-down stands.
    function markDefaulted(uint256 licenceId, uint256 index) external {
        _requireStatus(PoolStatus.Active);
        if (!_isReceivable[licenceId]) revert ReceivableUnknown(licenceId);
        Instalment memory due = licences.instalmentOf(licenceId, index);
        InstalmentRecord storage record = _instalments[licenceId][index];
        if (record.defaulted || record.paid >= due.amount || block.timestamp < due.dueDate + DEFAULT_AFTER) {
            revert InstalmentNotDefaultable(licenceId, index);
        }
        record.defaulted = true;
        uint256 unpaid = due.amount - record.paid;
        emit InstalmentDefaulted(licenceId, index, unpaid);

        uint256 sub = _tranches.length - 1;
        Tranche storage subordinated = _tranches[sub];
        uint256 writeDown = unpaid < subordinated.outstanding ? unpaid : subordinated.outstanding;
        if (writeDown != 0) {
            subordinated.outstanding -= writeDown;
            subordinated.writtenDown += writeDown;
            emit LossAllocated(sub, writeDown);
        }
    }

    /// @inheritdoc IReceivablePool
    function payGuarantorCall(uint256 callId, uint256 amount) external nonReentrant {
        if (callId >= _calls.length) revert GuarantorCallUnknown(callId);
        if (amount == 0) revert ZeroAmount();
        GuarantorCall storage call = _calls[callId];
        uint256 outstanding = call.amount - call.paid;
        if (amount > outstanding) revert GuarantorCallOverpaid(callId, outstanding);
        call.paid += amount.toUint128();
        collectionsAvailable += amount;
        _totals.guarantorPaid += amount;
        emit GuarantorPaid(callId, msg.sender, amount);
        _pull(msg.sender, amount);
    }

    // ───────────── the waterfall ─────────────

    /// @inheritdoc IReceivablePool
    function distribute() external nonReentrant {
        _requireStatus(PoolStatus.Active);
        uint256 period = periodsDistributed;
        uint40 startDate = period == 0 ? closedAt : periodEndOf(period - 1);
        uint40 endDate = periodEndOf(period);
        if (block.timestamp < endDate) revert PeriodNotEnded(period, endDate);

        PeriodReport memory report = _runWaterfall(period, startDate, endDate, period + 1 >= _periodEnds.length);
        periodsDistributed = period + 1;
        bytes32 digest = keccak256(abi.encode(report));
        _periodDigests[period] = digest;
        emit PeriodDistributed(period, digest, report);
        if (report.feesPaid != 0) paymentToken.safeTransfer(feeRecipient, report.feesPaid);
    }

    /// @notice When period `period` ends. After the calendar, the pool keeps the rhythm of its last period, so
    /// that late recoveries are distributed in periods as long as the scheduled ones (each with its one fee).
    function periodEndOf(uint256 period) public view returns (uint40) {
        uint256 scheduled = _periodEnds.length;
        if (period < scheduled) return _periodEnds[period];
        uint40 last = _periodEnds[scheduled - 1];
        uint40 previous = scheduled >= 2 ? _periodEnds[scheduled - 2] : closedAt;
        return (last + (period - scheduled + 1) * (last - previous)).toUint40();
    }

    /// @notice Book payment tokens sent to the pool without going through it (a transfer instead of
    /// `payInstalment`) as collections, so that they reach the holders through the next waterfall.
    function bookUnsolicited() external nonReentrant {
        _requireStatus(PoolStatus.Active);
        uint256 unbooked = paymentToken.balanceOf(address(this)) - _held();
        if (unbooked == 0) revert ZeroAmount();
        collectionsAvailable += unbooked;
        _totals.unsolicited += unbooked;
        emit UnsolicitedBooked(unbooked);
    }

    /// @dev SPEC §6.4 in order: fees → senior interest → (shortfall: reserve, then guarantor) → senior principal,
    /// turbo, by priority → reserve top-up → subordinated. From the last scheduled period on, the reserve's target is
    /// zero: it is released into the waterfall before principal.
    function _runWaterfall(uint256 period, uint40 startDate, uint40 endDate, bool reserveReleased)
        private
        returns (PeriodReport memory report)
    {
        uint256 seniorCount = _tranches.length - 1;
        report.period = period;
        report.startDate = startDate;
        report.endDate = endDate;
        report.distributedAt = uint40(block.timestamp);
        report.interestPaid = new uint256[](seniorCount);
        report.principalPaid = new uint256[](seniorCount + 1);

        uint256 available = collectionsAvailable;
        collectionsAvailable = 0;
        report.collections = available;

        // What must be paid this period, arrears first: fees and senior interest.
        uint256 feeDue = feePerPeriod + feeArrears;
        uint256[] memory interestDue = new uint256[](seniorCount);
        uint256 mustPay = feeDue;
        for (uint256 i; i < seniorCount; ++i) {
            Tranche storage t = _tranches[i];
            interestDue[i] = Waterfall.interest(t.outstanding, t.couponBps, startDate, endDate) + t.interestArrears;
            mustPay += interestDue[i];
        }
        available = _coverShortfall(report, available, mustPay);

        uint256 paid;
        (paid, available) = Waterfall.take(available, feeDue);
        feeArrears = feeDue - paid;
        report.feesPaid = paid;
        _totals.feesPaid += paid;
        _step(period, WaterfallStep.Fees, 0, paid);

        for (uint256 i; i < seniorCount; ++i) {
            (paid, available) = Waterfall.take(available, interestDue[i]);
            _tranches[i].interestArrears = interestDue[i] - paid;
            report.interestPaid[i] = paid;
            _credit(report, i, paid);
            _step(period, WaterfallStep.SeniorInterest, i, paid);
        }

        if (reserveReleased && reserve != 0) {
            report.reserveReleased = reserve;
            available += reserve;
            reserve = 0;
            _step(period, WaterfallStep.ReserveRelease, 0, report.reserveReleased);
        }

        for (uint256 i; i < seniorCount; ++i) {
            Tranche storage t = _tranches[i];
            (paid, available) = Waterfall.take(available, t.outstanding);
            t.outstanding -= paid;
            report.principalPaid[i] = paid;
            _credit(report, i, paid);
            _step(period, WaterfallStep.SeniorPrincipal, i, paid);
        }

        if (!reserveReleased && reserve < reserveTarget) {
            (paid, available) = Waterfall.take(available, reserveTarget - reserve);
            reserve += paid;
            report.reserveToppedUp = paid;
            _step(period, WaterfallStep.ReserveTopUp, 0, paid);
        }

        // The subordinated tranche takes the rest: first as principal, beyond it as excess return.
        Tranche storage subordinated = _tranches[seniorCount];
        uint256 principalPart = available < subordinated.outstanding ? available : subordinated.outstanding;
        subordinated.outstanding -= principalPart;
        report.principalPaid[seniorCount] = principalPart;
        report.subordinatedPaid = available;
        _credit(report, seniorCount, available);
        _step(period, WaterfallStep.Subordinated, seniorCount, available);
        report.reserveAfter = reserve;
    }

    /// @dev If collections cannot pay fees and senior interest, draw the reserve, then call the guarantor (up to its
    /// cap) for what is still missing, less what earlier calls asked for and it has not paid yet. The call's cash comes
    /// later and enters the next waterfall; what it covers is carried forward as arrears until then.
    function _coverShortfall(PeriodReport memory report, uint256 available, uint256 mustPay)
        private
        returns (uint256)
    {
        if (available >= mustPay) return available;
        uint256 draw;
        (draw,) = Waterfall.take(reserve, mustPay - available);
        reserve -= draw;
        available += draw;
        report.reserveDrawn = draw;
        _step(report.period, WaterfallStep.ReserveDraw, 0, draw);
        // "What is still missing" excludes what earlier calls asked for and the guarantor has not paid yet: that
        // cash is on its way for the same arrears, and calling it again would spend the cap twice.
        uint256 unpaidCalls = guaranteeCalled - _totals.guarantorPaid;
        if (available + unpaidCalls < mustPay && guaranteeCalled < guaranteeCap) {
            (uint256 called,) = Waterfall.take(guaranteeCap - guaranteeCalled, mustPay - available - unpaidCalls);
            guaranteeCalled += called;
            report.guarantorCalled = called;
            _calls.push(GuarantorCall({period: uint64(report.period), amount: called.toUint128(), paid: 0}));
            emit GuarantorCalled(_calls.length - 1, report.period, called);
            _step(report.period, WaterfallStep.GuarantorCall, 0, called);
        }
        return available;
    }

    /// @dev Credit `amount` to a tranche's holders; what the per-token accounting cannot credit goes to dust.
    function _credit(PeriodReport memory report, uint256 tranche, uint256 amount) private {
        if (amount == 0) return;
        Tranche storage t = _tranches[tranche];
        uint256 credited = t.token.distribute(amount);
        t.claimable += credited;
        dust += amount - credited;
        report.dust += amount - credited;
    }

    function _step(uint256 period, WaterfallStep step, uint256 tranche, uint256 amount) private {
        if (amount != 0) emit WaterfallStepped(period, step, tranche, amount);
    }

    // ───────────── claims ─────────────

    /// @inheritdoc IReceivablePool
    function claim(uint256 tranche) external nonReentrant {
        Tranche storage t = _tranche(tranche);
        uint256 amount = t.token.recordClaim(msg.sender);
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
    function trancheOf(uint256 tranche) external view returns (Tranche memory) {
        return _tranche(tranche);
    }

    /// @inheritdoc IReceivablePool
    function trancheCount() external view returns (uint256) {
        return _tranches.length;
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

    /// @notice The period calendar.
    function periodEnds() external view returns (uint40[] memory) {
        return _periodEnds;
    }

    /// @notice The sub-licences whose instalments the pool owns.
    function receivables() external view returns (uint256[] memory) {
        return _receivables;
    }

    /// @inheritdoc IReceivablePool
    function reconcile() external view returns (Reconciliation memory r) {
        CashTotals memory totals = _totals;
        r.subscribed = totals.subscribed;
        r.collected = totals.collected;
        r.guarantorPaid = totals.guarantorPaid;
        r.unsolicited = totals.unsolicited;
        r.proceedsPaid = totals.proceedsPaid;
        r.feesPaid = totals.feesPaid;
        r.refunded = totals.refunded;
        r.escrow = escrow;
        r.collectionsAvailable = collectionsAvailable;
        r.reserve = reserve;
        for (uint256 i; i < _tranches.length; ++i) {
            Tranche storage t = _tranches[i];
            r.trancheClaimable += t.claimable;
            r.claimsPaid += t.token.totalCredited() - t.claimable;
        }
        r.dust = dust;
        r.tokenBalance = paymentToken.balanceOf(address(this));
        uint256 cashIn = r.subscribed + r.collected + r.guarantorPaid + r.unsolicited;
        uint256 cashOut = r.proceedsPaid + r.feesPaid + r.claimsPaid + r.refunded;
        uint256 held = r.escrow + r.collectionsAvailable + r.reserve + r.trancheClaimable + r.dust;
        // Tokens sent to the pool without going through it are shown, not hidden, until booked.
        r.unbooked = r.tokenBalance > held ? r.tokenBalance - held : 0;
        r.balanced = cashIn == cashOut + held && held + r.unbooked == r.tokenBalance;
    }

    /// @dev Everything the pool has booked: the sum of its buckets.
    function _held() private view returns (uint256 held) {
        held = escrow + collectionsAvailable + reserve + dust;
        for (uint256 i; i < _tranches.length; ++i) {
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

    function _tranche(uint256 tranche) private view returns (Tranche storage) {
        if (tranche >= _tranches.length) revert TrancheUnknown(tranche);
        return _tranches[tranche];
    }

    function _requireStatus(PoolStatus expected) private view {
        if (status != expected) revert PoolStatusInvalid(status);
    }

    function _requireOriginator() private view {
        if (msg.sender != originator) revert OnlyOriginator(msg.sender);
    }
}
