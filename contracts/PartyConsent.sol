// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ConsentInspection} from "./ConsentInspection.sol";
import {IPartyConsent} from "./interfaces/IPartyConsent.sol";
import {Consent, Reason} from "./types/Pledge.sol";

/// @title Verifies the parties' consents (EIP-712 signatures, ECDSA or ERC-1271) for a registry contract.
/// @notice Every action type ends with `address signer,uint256 nonce,uint256 deadline` and has only static fields
/// before them, so an action is described by its type hash and fields (`signedFields`) and each party signs its own
/// copy with its own nonce. Nonces are unordered, 256 to a storage word: a signer's nonce n is bit (n % 256) of word
/// (n / 256), so a party can have many signatures outstanding and they can be used in any order.
abstract contract PartyConsent is IPartyConsent, ConsentInspection, EIP712 {
    mapping(address signer => mapping(uint256 word => uint256 bits)) private _usedNonces;

    constructor(string memory name, string memory version) EIP712(name, version) {}

    /// @inheritdoc IPartyConsent
    function cancelNonce(uint256 nonce) external {
        if (_isNonceUsed(msg.sender, nonce)) revert NonceUsed(msg.sender, nonce);
        _useNonce(msg.sender, nonce);
        emit NonceCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IPartyConsent
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return _isNonceUsed(signer, nonce);
    }

    /// @dev Whether `party` consented to the action `signedFields`; uses the nonce when it did. Reverts on a bad
    /// signature, used nonce or passed deadline: a signature that is present but wrong is never silently ignored.
    function _takeConsent(address party, bytes memory signedFields, Consent calldata consent)
        internal
        returns (bool given)
    {
        Reason problem;
        uint256 detail;
        (given, problem, detail) = _inspectConsent(party, signedFields, consent);
        if (problem == Reason.DeadlinePassed) revert DeadlinePassed(party, detail);
        if (problem == Reason.NonceUsed) revert NonceUsed(party, detail);
        if (problem == Reason.SignatureInvalid) revert SignatureInvalid(party);
        if (given && consent.signature.length != 0) _useNonce(party, consent.nonce);
    }

    /// @dev Like `_takeConsent`, for a party whose consent is required: its absence is SIGNATURE_INVALID.
    function _requireConsent(address party, bytes memory signedFields, Consent calldata consent) internal {
        if (!_takeConsent(party, signedFields, consent)) revert SignatureInvalid(party);
    }

    /// @dev EIP-712 digests are built under this contract's own domain.
    function _hashTypedData(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }

    function _isNonceUsed(address signer, uint256 nonce) internal view override returns (bool) {
        return (_usedNonces[signer][nonce >> 8] >> (nonce & 0xff)) & 1 == 1;
    }

    function _useNonce(address signer, uint256 nonce) private {
        _usedNonces[signer][nonce >> 8] |= 1 << (nonce & 0xff);
    }
}
