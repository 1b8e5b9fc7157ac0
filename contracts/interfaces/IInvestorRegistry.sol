// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @title The registry of identified (qualified) investors who may hold tranche tokens (SPEC §6.5).
/// @notice Kept by the registration office or an originator: both may identify and remove investors.
interface IInvestorRegistry {
    /// @notice `investor` was identified by `by`; `kycReference` points to the identification file (e.g. its hash).
    event InvestorIdentified(address indexed investor, address indexed by, bytes32 kycReference);
    /// @notice `investor` was removed by `by`: it can no longer receive tranche tokens.
    event InvestorRemoved(address indexed investor, address indexed by, string reason);

    /// @notice Only the registrar or an originator may keep the registry.
    error InvestorVettingNotAllowed(address caller);
    /// @notice The investor is already identified, or (on removal) is not.
    error InvestorStatusUnchanged(address investor);

    /// @notice Identify an investor.
    function identify(address investor, bytes32 kycReference) external;

    /// @notice Remove an investor; tokens it holds stay, but it can receive no more.
    function remove(address investor, string calldata reason) external;

    /// @notice Whether `investor` may hold tranche tokens.
    function isIdentified(address investor) external view returns (bool);
}
