// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @title Roles of the registry, as role ids of the shared OpenZeppelin AccessManager.
/// @notice One AccessManager holds every permission of every registry contract, so that a bank licensed
/// by the registration office is licensed everywhere at once. The registrar is the admin of the
/// roles it grants (licensed pledgee, evaluator), the admin of the rest.
library Roles {
    /// @dev AccessManager's built-in ADMIN_ROLE: configures roles and risk-compensation schemes, pauses.
    uint64 internal constant ADMIN = 0;
    /// @dev The IP office: records assets, approves or refuses pledges, sets registration policy.
    uint64 internal constant REGISTRAR = 1;
    /// @dev A licensed lender (bank, guarantee company, micro-lender); licensed by the registrar.
    uint64 internal constant PLEDGEE = 2;
    /// @dev An appraisal firm or a bank's internal valuation unit; licensed by the registrar.
    uint64 internal constant EVALUATOR = 3;
    /// @dev A licence-fee securitisation originator / servicer.
    uint64 internal constant ORIGINATOR = 4;
    /// @dev An auditor: read access is public on chain; the role identifies auditors to the gateway.
    uint64 internal constant AUDITOR = 5;
    /// @dev Held by the PledgeRegistry contract only: may record loss allocations on disposal.
    uint64 internal constant PLEDGE_REGISTRY = 6;
}
