// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice The local chain's stand-in for a CNY stablecoin: 2 decimals (1 unit = 1 fen), minted freely in tests and
/// demos. Never deployed to a real network.
contract TestStablecoin is ERC20 {
    constructor() ERC20("Test CNY stablecoin", "tCNY") {}

    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
