// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @title The calendar year of a timestamp in China Standard Time (UTC+8), where the schemes apply.
/// @dev Howard Hinnant's civil-from-days algorithm (proleptic Gregorian calendar), for days since 1970-01-01.
library CalendarYear {
    int256 private constant _CST_OFFSET = 8 hours;

    /// @notice The year (e.g. 2026) in which `timestamp` falls in China Standard Time.
    function ofTimestamp(uint256 timestamp) internal pure returns (uint16) {
        int256 z = (int256(timestamp) + _CST_OFFSET) / 1 days + 719_468;
        int256 era = z / 146_097; // timestamps are never before 1970, so z ≥ 0 and this floors
        int256 dayOfEra = z - era * 146_097;
        int256 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int256 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int256 monthIndex = (5 * dayOfYear + 2) / 153; // March = 0 … February = 11
        int256 year = yearOfEra + era * 400 + (monthIndex >= 10 ? int256(1) : int256(0));
        return uint16(uint256(year));
    }
}
