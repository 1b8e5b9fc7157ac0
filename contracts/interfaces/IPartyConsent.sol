// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @title Consent of a party to an action: an EIP-712 signature bound to an unordered nonce and a deadline, or the
/// party sending the transaction itself. Shared by every registry contract, so that the signature reason codes are
/// the same errors everywhere.
interface IPartyConsent {
    /// @notice SIGNATURE_INVALID: `signer`'s signature does not verify, or a required signature is missing.
    error SignatureInvalid(address signer);
    /// @notice NONCE_USED: `signer` has already used (or cancelled) `nonce`.
    error NonceUsed(address signer, uint256 nonce);
    /// @notice DEADLINE_PASSED: `signer`'s signature was valid only until `deadline`.
    error DeadlinePassed(address signer, uint256 deadline);

    /// @notice `signer` cancelled `nonce` so that no signature over it can be used.
    event NonceCancelled(address indexed signer, uint256 nonce);

    /// @notice Cancel one of the caller's nonces, so that signatures over it can no longer be used.
    function cancelNonce(uint256 nonce) external;

    /// @notice Whether `signer` has used or cancelled `nonce`.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool);
}
