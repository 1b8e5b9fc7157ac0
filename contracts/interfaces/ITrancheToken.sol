// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title A tranche of a receivable pool as an ERC-20 (SPEC §6.5): held and transferred only by identified
/// investors; what the pool distributes to the tranche accrues to holders per token, in O(1) whatever their number.
/// @notice Accounting: a magnified amount per token grows with every distribution; each holder has a correction that
/// transfers, mints and burns adjust, so that a transfer neither loses nor duplicates what accrued before it. Cash
/// stays with the pool; the pool pays what a holder claims.
interface ITrancheToken is IERC20 {
    /// @notice The pool credited `credited` of `amount` to holders; `amount - credited` went to the pool's dust
    /// account.
    event TrancheDistributed(uint256 amount, uint256 credited);

    /// @notice Only the pool may mint, burn, distribute or record claims.
    error TrancheTokenOnlyPool(address caller);
    /// @notice `account` is not an identified investor and cannot receive (or send) tranche tokens.
    error HolderNotIdentified(address account);

    /// @notice The pool that issued the tranche.
    function pool() external view returns (address);

    /// @notice The tranche's position in the pool (0 = most senior; the last is subordinated).
    function trancheIndex() external view returns (uint8);

    /// @notice Mint at face to a subscriber.
    function mint(address to, uint256 amount) external;

    /// @notice Burn a refunded subscriber's tokens.
    function burn(address from, uint256 amount) external;

    /// @notice Credit `amount` to holders pro rata; returns what was credited (never more than `amount`).
    function distribute(uint256 amount) external returns (uint256 credited);

    /// @notice Credit exactly `amount` to holders pro rata (the pool's wind-up): the increment per token rounds up so
    /// that the tranche's total credited grows by `amount` to the unit; holders' claims together still never exceed it.
    function distributeExact(uint256 amount) external returns (uint256 credited);

    /// @notice Mark what `holder` can claim as claimed and return it (the pool emits `Claimed` as it pays).
    function recordClaim(address holder) external returns (uint256 amount);

    /// @notice What `holder` can claim now.
    function claimableOf(address holder) external view returns (uint256);

    /// @notice Everything ever credited to `holder` (claimed or not).
    function accumulatedOf(address holder) external view returns (uint256);

    /// @notice Everything ever credited to the tranche's holders together.
    function totalCredited() external view returns (uint256);

    /// @notice Outstanding principal ÷ face, scaled by 1e18.
    function poolFactor() external view returns (uint256);
}
