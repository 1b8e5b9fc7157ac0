// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReferenceERC20
/// @notice Reference only (gas benchmark, bench/gas.ts): a plain OpenZeppelin ERC-20, never deployed with the registry.
contract ReferenceERC20 is ERC20 {
    /// @param supply Minted to the deployer.
    constructor(uint256 supply) ERC20("Reference", "REF") {
        _mint(msg.sender, supply);
    }
}
