// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.29;

// Reference only (gas benchmark, bench/gas.ts): never deployed with the registry. Importing the Ethereum Attestation
// Service's contracts makes Hardhat compile them (with solc 0.8.29, see hardhat.config.ts) into artifacts.
import {EAS} from "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol";
import {SchemaRegistry} from "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol";

/// @title EASReference
/// @notice Names the EAS contracts the benchmark deploys, so that they are compiled with this project.
contract EASReference {
    /// @notice The creation code of the attestation service and its schema registry (unused on chain).
    function creationCodes() external pure returns (bytes memory eas, bytes memory schemaRegistry) {
        return (type(EAS).creationCode, type(SchemaRegistry).creationCode);
    }
}
