// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A test token that is not money: while a fee is set, every transfer burns `feeBps` of the amount on the
/// way, so the recipient receives less than was sent. Decimals are chosen at deployment. Never deployed to a real
/// network.
contract FeeOnTransferStablecoin is ERC20 {
    uint8 private immutable _decimals;
    uint16 public feeBps;

    constructor(uint8 decimals_, uint16 feeBps_) ERC20("Fee-on-transfer test coin", "tFEE") {
        _decimals = decimals_;
        feeBps = feeBps_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFeeBps(uint16 feeBps_) external {
        feeBps = feeBps_;
    }

    /// @dev Mints and burns are untouched; a transfer burns the fee (rounded down) from what the sender sends.
    function _update(address from, address to, uint256 value) internal override {
        uint256 fee = from == address(0) || to == address(0) ? 0 : value * feeBps / 10_000;
        if (fee != 0) super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
