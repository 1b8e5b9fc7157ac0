// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title The split of an unrecovered loss between a bank and the parties of a risk-compensation scheme.
/// @notice SPEC §6 conventions: each party's share = loss × bps ÷ 10,000 rounded down, then its caps; the bank
/// takes whatever remains, so that the shares add up to the loss exactly. Rounding dust therefore falls to the
/// bank, the party that lent.
library LossSplit {
    uint256 internal constant WHOLE_BPS = 10_000;

    /// @notice Split `loss`.
    /// @param shareBps Each party's share in basis points; they add up to at most 10,000.
    /// @param caps Each party's tightest remaining cap for this loss (per loan, per borrower and year);
    /// `type(uint256).max` where the party has none. A cap of 0 binds: that party bears nothing.
    /// @return shares Each party's share.
    /// @return bankShare What remains for the bank.
    function split(uint256 loss, uint16[] memory shareBps, uint256[] memory caps)
        internal
        pure
        returns (uint256[] memory shares, uint256 bankShare)
    {
        shares = new uint256[](shareBps.length);
        bankShare = loss;
        for (uint256 i; i < shareBps.length; ++i) {
            // mulDiv rounds down and cannot overflow whatever the loss.
            uint256 share = Math.mulDiv(loss, shareBps[i], WHOLE_BPS);
            if (share > caps[i]) share = caps[i];
            shares[i] = share;
            // Σ shares ≤ Σ loss × bps / 10,000 ≤ loss because Σ bps ≤ 10,000, so this cannot underflow.
            bankShare -= share;
        }
    }
}
