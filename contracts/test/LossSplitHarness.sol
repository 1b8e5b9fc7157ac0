// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {LossSplit} from "../libraries/LossSplit.sol";
import {CalendarYear} from "../libraries/CalendarYear.sol";

/// @notice Thin wrapper exposing the pure money and calendar libraries to property tests.
contract LossSplitHarness {
    function split(uint256 loss, uint16[] memory shareBps, uint256[] memory caps)
        external
        pure
        returns (uint256[] memory shares, uint256 bankShare)
    {
        return LossSplit.split(loss, shareBps, caps);
    }

    function yearOf(uint256 timestamp) external pure returns (uint16) {
        return CalendarYear.ofTimestamp(timestamp);
    }
}
