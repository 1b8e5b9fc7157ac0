// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {IInvestorRegistry} from "./interfaces/IInvestorRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title The whitelist of identified investors shared by every receivable pool.
contract InvestorRegistry is IInvestorRegistry, AccessManaged {
    mapping(address investor => bool identified) private _identified;

    constructor(address accessManager) AccessManaged(accessManager) {}

    /// @inheritdoc IInvestorRegistry
    function identify(address investor, bytes32 kycReference) external {
        _requireVetting();
        if (_identified[investor] || investor == address(0)) revert InvestorStatusUnchanged(investor);
        _identified[investor] = true;
        emit InvestorIdentified(investor, msg.sender, kycReference);
    }

    /// @inheritdoc IInvestorRegistry
    function remove(address investor, string calldata reason) external {
        _requireVetting();
        if (!_identified[investor]) revert InvestorStatusUnchanged(investor);
        _identified[investor] = false;
        emit InvestorRemoved(investor, msg.sender, reason);
    }

    /// @inheritdoc IInvestorRegistry
    function isIdentified(address investor) external view returns (bool) {
        return _identified[investor];
    }

    /// @dev The registrar or any originator (AccessManager gives one role per function, so this checks both).
    function _requireVetting() private view {
        IAccessManager manager = IAccessManager(authority());
        (bool registrar,) = manager.hasRole(Roles.REGISTRAR, msg.sender);
        (bool originator,) = manager.hasRole(Roles.ORIGINATOR, msg.sender);
        if (!registrar && !originator) revert InvestorVettingNotAllowed(msg.sender);
    }
}
