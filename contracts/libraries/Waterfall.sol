// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title The arithmetic and the order of a period's waterfall (SPEC §6.4 and conventions).
/// @notice Pure: the pool reads its books into `Inflow`, lets `allocate` divide the cash in SPEC order, and books
/// the `Allocation` it returns (arrears, outstanding, reserve, credits to holders, one event per step).
library Waterfall {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant DAYS_PER_YEAR = 365;

    /// @notice A period's cash and what it must pay, once the shortfall was covered (reserve draw, guarantor).
    struct Inflow {
        uint256 available; // collections, plus what the reserve and the guarantor gave for the shortfall
        uint256 feeDue; // the period's fee (if charged) plus fee arrears
        uint256[] interestDue; // per senior class: the period's interest plus its arrears
        uint256[] outstanding; // per tranche (senior classes by priority, the subordinated last)
        uint256 reserve; // the reserve after any draw
        uint256 reserveTarget;
        bool releaseReserve; // the last scheduled period or later, or the wind-up: the reserve's target is zero
        uint256 sweep; // the dust account at wind-up, added to what the subordinated tranche receives
    }

    /// @notice How a period's cash was divided, in SPEC order.
    struct Allocation {
        uint256 feesPaid;
        uint256[] interestPaid; // per senior class
        uint256 reserveReleased;
        uint256[] principalPaid; // per tranche; the subordinated entry is the principal part of its payment
        uint256 reserveToppedUp;
        uint256 subordinatedPaid; // everything the subordinated tranche receives: principal, then excess return
    }

    /// @notice Period interest, Actual/365 Fixed: outstanding × coupon (bps) × days ÷ (10,000 × 365), rounded down.
    /// Days are whole days between the period's start and end (a part-day does not count).
    function interest(uint256 outstanding, uint256 couponBps, uint256 startDate, uint256 endDate)
        internal
        pure
        returns (uint256)
    {
        uint256 days_ = (endDate - startDate) / 1 days;
        return Math.mulDiv(outstanding, couponBps * days_, BPS * DAYS_PER_YEAR);
    }

    /// @notice Take up to `wanted` from `available`: what was taken and what remains.
    function take(uint256 available, uint256 wanted) internal pure returns (uint256 taken, uint256 remaining) {
        taken = available < wanted ? available : wanted;
        remaining = available - taken;
    }

    /// @notice The waterfall's order: fees → senior interest by priority → (from the last scheduled period on: the
    /// whole reserve released) → senior principal by priority, turbo → reserve top-up to its target (only before the
    /// last scheduled period) → the subordinated tranche takes the rest (with the sweep): principal up to its
    /// outstanding, beyond it excess return. What a step cannot pay stays due (the caller books it as arrears).
    function allocate(Inflow memory inflow) internal pure returns (Allocation memory a) {
        uint256 seniorCount = inflow.interestDue.length;
        uint256 available = inflow.available;
        (a.feesPaid, available) = take(available, inflow.feeDue);

        a.interestPaid = new uint256[](seniorCount);
        for (uint256 i; i < seniorCount; ++i) {
            (a.interestPaid[i], available) = take(available, inflow.interestDue[i]);
        }

        uint256 reserve = inflow.reserve;
        if (inflow.releaseReserve) {
            a.reserveReleased = reserve;
            available += reserve;
            reserve = 0;
        }

        a.principalPaid = new uint256[](seniorCount + 1);
        for (uint256 i; i < seniorCount; ++i) {
            (a.principalPaid[i], available) = take(available, inflow.outstanding[i]);
        }

        if (!inflow.releaseReserve && reserve < inflow.reserveTarget) {
            (a.reserveToppedUp, available) = take(available, inflow.reserveTarget - reserve);
        }

        available += inflow.sweep;
        (a.principalPaid[seniorCount],) = take(available, inflow.outstanding[seniorCount]);
        a.subordinatedPaid = available;
    }
}
