// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title The one permission set shared by every registry contract (roles: see libraries/Roles.sol).
/// @notice OpenZeppelin's AccessManager as is. The registrar administers the licensed-pledgee and evaluator roles,
/// so licensing a lender is `grantRole(PLEDGEE, lender, 0)` sent by the registrar; every grant and revocation is an
/// event (`RoleGranted`, `RoleRevoked`).
contract RegistryAccessManager is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
