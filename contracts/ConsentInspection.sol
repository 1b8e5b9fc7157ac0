// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {Consent, Reason} from "./types/Pledge.sol";

/// @title The verdict on one party's consent, without using its nonce: the one definition shared by the contract
/// that takes consents (PartyConsent) and the read-only lens that previews them (PledgeLens).
/// @notice The contract using it says where nonces live and under which EIP-712 domain digests are built.
abstract contract ConsentInspection {
    /// @dev The verdict on one consent. An empty signature is consent only from the party sending the transaction
    /// (which needs no nonce: the transaction itself cannot be replayed).
    function _inspectConsent(address party, bytes memory signedFields, Consent calldata consent)
        internal
        view
        returns (bool given, Reason problem, uint256 detail)
    {
        if (consent.signature.length == 0) return (party == msg.sender, Reason.None, 0);
        if (block.timestamp > consent.deadline) return (false, Reason.DeadlinePassed, consent.deadline);
        if (_isNonceUsed(party, consent.nonce)) return (false, Reason.NonceUsed, consent.nonce);
        bytes32 digest = _digest(signedFields, party, consent.nonce, consent.deadline);
        if (!SignatureChecker.isValidSignatureNow(party, digest, consent.signature)) {
            return (false, Reason.SignatureInvalid, 0);
        }
        return (true, Reason.None, 0);
    }

    /// @dev The EIP-712 digest of an action: its struct encoding is `signedFields` followed by the words
    /// (signer, nonce, deadline).
    function _digest(bytes memory signedFields, address signer, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _hashTypedData(keccak256(abi.encodePacked(signedFields, abi.encode(signer, nonce, deadline))));
    }

    /// @dev The EIP-712 digest of `structHash` under the consent-taking contract's domain.
    function _hashTypedData(bytes32 structHash) internal view virtual returns (bytes32);

    /// @dev Whether `signer` has used or cancelled `nonce`.
    function _isNonceUsed(address signer, uint256 nonce) internal view virtual returns (bool);
}
