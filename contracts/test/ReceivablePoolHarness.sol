// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ReceivablePool} from "../ReceivablePool.sol";
import {ILicenceRegistry} from "../interfaces/ILicenceRegistry.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {PoolConfig} from "../types/Pool.sol";

/// @notice The pool with a clock a test sets (as EAS tests do): tests that only need the pool to see a date set it,
/// instead of moving the whole chain. Until set (or after setting 0), the pool reads the block's timestamp.
contract ReceivablePoolHarness is ReceivablePool {
    uint256 private _now;

    constructor(PoolConfig memory config, ILicenceRegistry licences_, IInvestorRegistry investors)
        ReceivablePool(config, licences_, investors)
    {}

    /// @notice The pool sees `now_` as the time from now on (0: the block's timestamp again).
    function setTime(uint256 now_) external {
        _now = now_;
    }

    function _time() internal view override returns (uint256) {
        return _now == 0 ? block.timestamp : _now;
    }
}
