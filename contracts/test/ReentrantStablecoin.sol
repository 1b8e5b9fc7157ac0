// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice A hostile payment token (2 decimals): once armed, its next transfer or transferFrom calls `reentryTarget` with
/// `data` before moving the tokens — a reentrant call into the pool from inside the pool's own token transfer.
/// The call's revert is bubbled up unchanged (so the outer operation fails with the reentrant call's error), unless
/// `swallow` is set, in which case the revert data is kept in `lastReentryError` and the transfer goes on.
/// Never deployed to a real network.
contract ReentrantStablecoin is ERC20 {
    address public reentryTarget;
    bytes public data;
    bool public swallow;
    bool public armed;
    bytes public lastReentryError;
    uint256 public reentries;

    constructor() ERC20("Reentrant test coin", "tRE") {}

    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata data_, bool swallow_) external {
        reentryTarget = target_;
        data = data_;
        swallow = swallow_;
        armed = true;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        _reenter();
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        _reenter();
        return super.transferFrom(from, to, value);
    }

    /// @dev Fires once per arming, so that the reentrant call cannot recurse through its own transfers.
    function _reenter() private {
        if (!armed) return;
        armed = false;
        ++reentries;
        if (!swallow) {
            // Bubbles the reentrant call's revert data up unchanged.
            Address.functionCall(reentryTarget, data);
            return;
        }
        (bool ok, bytes memory returned) = reentryTarget.call(data);
        if (!ok) lastReentryError = returned;
    }
}
