// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {FirstLicenceTerms, Instalment, SubLicenceTerms} from "../types/Licence.sol";

/// @title EIP-712 types of the licence registry; the gateway builds the same in `definitions/licenceTypedData.ts`.
library LicenceTypedData {
    string internal constant INSTALMENT_TYPE = "Instalment(uint40 dueDate,uint216 amount)";
    bytes32 internal constant INSTALMENT_TYPEHASH = keccak256(bytes(INSTALMENT_TYPE));

    bytes32 internal constant FIRST_LICENCE_GRANT_TYPEHASH = keccak256(
        "FirstLicenceGrant(bytes32[] assetIds,address[] licensors,address licensee,bool exclusive,bool subLicensable,"
        "uint256 upfrontFee,uint40 startDate,uint40 endDate,bytes32 contractHash,address signer,uint256 nonce,"
        "uint256 deadline)"
    );
    bytes32 internal constant SUB_LICENCE_GRANT_TYPEHASH = keccak256(
        abi.encodePacked(
            "SubLicenceGrant(uint256 firstLicenceId,address licensee,Instalment[] schedule,uint40 startDate,"
            "uint40 endDate,bytes32 contractHash,address signer,uint256 nonce,uint256 deadline)",
            INSTALMENT_TYPE
        )
    );

    /// @notice The fields of a `FirstLicenceGrant` before (signer, nonce, deadline).
    function firstLicenceFields(FirstLicenceTerms calldata terms) internal pure returns (bytes memory) {
        bytes memory head = abi.encode(
            FIRST_LICENCE_GRANT_TYPEHASH,
            keccak256(abi.encodePacked(terms.assetIds)),
            keccak256(abi.encodePacked(terms.licensors)),
            terms.licensee,
            terms.exclusive,
            terms.subLicensable
        );
        return bytes.concat(head, abi.encode(terms.upfrontFee, terms.startDate, terms.endDate, terms.contractHash));
    }

    /// @notice The fields of a `SubLicenceGrant` before (signer, nonce, deadline).
    function subLicenceFields(SubLicenceTerms calldata terms) internal pure returns (bytes memory) {
        return abi.encode(
            SUB_LICENCE_GRANT_TYPEHASH,
            terms.firstLicenceId,
            terms.licensee,
            hashSchedule(terms.schedule),
            terms.startDate,
            terms.endDate,
            terms.contractHash
        );
    }

    /// @notice EIP-712 encoding of an array of structs: the hash of the concatenated struct hashes.
    function hashSchedule(Instalment[] calldata schedule) internal pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](schedule.length);
        for (uint256 i; i < schedule.length; ++i) {
            hashes[i] = keccak256(abi.encode(INSTALMENT_TYPEHASH, schedule[i].dueDate, schedule[i].amount));
        }
        return keccak256(abi.encodePacked(hashes));
    }
}
