// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title The arithmetic of a period's waterfall (SPEC §6 conventions).
library Waterfall {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant DAYS_PER_YEAR = 365;

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
}
