// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Waterfall} from "../libraries/Waterfall.sol";

/// @notice Thin wrapper exposing the waterfall's arithmetic and order to property tests.
contract WaterfallHarness {
    function interest(uint256 outstanding, uint256 couponBps, uint256 startDate, uint256 endDate)
        external
        pure
        returns (uint256)
    {
        return Waterfall.interest(outstanding, couponBps, startDate, endDate);
    }

    function allocate(Waterfall.Inflow memory inflow) external pure returns (Waterfall.Allocation memory) {
        return Waterfall.allocate(inflow);
    }
}
