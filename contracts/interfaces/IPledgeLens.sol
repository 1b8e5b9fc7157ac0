// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Consent, PledgeTerms, RuleFailure} from "../types/Pledge.sol";
import {IPledgeRules} from "./IPledgeRegistry.sol";

/// @title The pledge register's read-only lens: the preflight of SPEC §4.2 (every failure at once, where the register
/// reverts on the first) and the digests parties sign. It holds no state and reads the register it was built for.
interface IPledgeLens is IPledgeRules {
    /// @notice Every rule failure of a not-yet-submitted application, signatures included, without using any nonce.
    /// An empty signature counts as consent from the account calling this view, as it would from the sender of the
    /// submission.
    function evaluate(PledgeTerms calldata terms, Consent[] calldata pledgorConsents, Consent calldata pledgeeConsent)
        external
        view
        returns (RuleFailure[] memory failures);

    /// @notice Every rule failure of a pending application now (the registration office's queue).
    function evaluatePending(uint256 pledgeId) external view returns (RuleFailure[] memory failures);

    /// @notice The EIP-712 digest `signer` signs to consent to `terms` (under the register's domain).
    function applicationDigest(PledgeTerms calldata terms, address signer, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
