// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @title Risk-compensation schemes and the split of a disposal's loss (SPEC §4.3, "Loss sharing").
/// @notice A scheme lists the parties that bear part of a loss besides the bank (a compensation fund, an insurer,
/// an IP-service firm…), each with a share in basis points and optional caps. On disposal, each party's share is
/// loss × bps ÷ 10,000 rounded down, then capped; the bank takes what remains, so shares add up to the loss.
/// Schemes are immutable once created (a changed policy is a new scheme), so every split can be re-derived.
interface ILossSharing {
    /// @notice One party of a scheme other than the bank. A cap of 0 means "no cap".
    struct SchemeParty {
        bytes32 name; // e.g. "fund", "insurer"
        uint16 shareBps;
        uint256 perLoanCap; // in the currency's smallest unit
        uint256 perBorrowerYearCap; // per debtor per calendar year (China Standard Time)
    }

    /// @notice A scheme's header.
    struct Scheme {
        bytes32 name;
        bool active;
        uint8 partyCount;
    }

    /// @notice The recorded split of one pledge's loss.
    struct Allocation {
        uint32 schemeId;
        uint16 year;
        bytes32 debtor;
        uint256 loss;
        uint256 bankShare;
        uint256[] partyShares; // in the scheme's party order
    }

    /// @notice A scheme was created.
    event SchemeCreated(uint32 indexed schemeId, bytes32 name, SchemeParty[] parties);
    /// @notice A scheme was retired: new pledges can no longer name it; pledges already covered keep it.
    event SchemeRetired(uint32 indexed schemeId);
    /// @notice A party of the scheme bears `amount` of pledge `pledgeId`'s loss.
    event LossShareRecorded(
        uint256 indexed pledgeId, uint32 indexed schemeId, uint256 partyIndex, bytes32 partyName, uint256 amount
    );
    /// @notice The bank bears `amount`, the remainder of pledge `pledgeId`'s loss of `loss`.
    event LossAllocated(
        uint256 indexed pledgeId, uint32 indexed schemeId, bytes32 indexed debtor, uint256 loss, uint256 bankShare
    );

    /// @notice A scheme needs 1 to MAX_PARTIES parties whose shares add up to at most 10,000 bps.
    error SchemePartiesInvalid(uint256 count, uint256 totalBps);
    /// @notice No active scheme has this id.
    error SchemeUnknown(uint32 schemeId);
    /// @notice The pledge's loss was already allocated.
    error LossAlreadyAllocated(uint256 pledgeId);

    /// @notice Create a scheme.
    /// @dev Admin only.
    function createScheme(bytes32 name, SchemeParty[] calldata parties) external returns (uint32 schemeId);

    /// @notice Retire a scheme.
    /// @dev Admin only.
    function retireScheme(uint32 schemeId) external;

    /// @notice Split pledge `pledgeId`'s loss by its scheme, apply the caps, record and return the bank's share.
    /// A loss of zero is recorded too, as a split of zeros, so that each disposal has exactly one split record.
    /// @dev Pledge registry only. Per-borrower yearly caps count in the calendar year of the disposal.
    function allocate(uint32 schemeId, uint256 pledgeId, bytes32 debtor, uint256 loss)
        external
        returns (uint256 bankShare);

    /// @notice Whether new pledges may name the scheme.
    function isActive(uint32 schemeId) external view returns (bool);

    /// @notice A scheme and its parties.
    function schemeOf(uint32 schemeId) external view returns (Scheme memory scheme, SchemeParty[] memory parties);

    /// @notice The recorded split of a pledge's loss (`schemeId` 0 and empty `partyShares` if none).
    function allocationOf(uint256 pledgeId) external view returns (Allocation memory);

    /// @notice How much of a party's per-borrower yearly cap is used (always 0 for a party without a yearly cap).
    function usedThisYear(uint32 schemeId, uint256 partyIndex, bytes32 debtor, uint16 year)
        external
        view
        returns (uint256);
}
