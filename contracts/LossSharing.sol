// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {ILossSharing} from "./interfaces/ILossSharing.sol";
import {LossSplit} from "./libraries/LossSplit.sol";
import {CalendarYear} from "./libraries/CalendarYear.sol";

/// @title Risk-compensation schemes (Zhongshan, Guangzhou "55"/"541", Zhuhai, Shenzhen…) and loss allocations.
contract LossSharing is ILossSharing, AccessManaged {
    /// @notice Most parties a scheme may have besides the bank; bounds every loop over parties.
    uint256 public constant MAX_PARTIES = 8;

    uint32 private _lastSchemeId;
    mapping(uint32 schemeId => Scheme scheme) private _schemes;
    mapping(uint32 schemeId => mapping(uint256 index => SchemeParty party)) private _parties;
    mapping(uint256 pledgeId => Allocation allocation) private _allocations;
    mapping(uint32 schemeId => mapping(uint256 index => mapping(bytes32 debtor => mapping(uint16 year => uint256))))
        private _usedPerYear;

    constructor(address accessManager) AccessManaged(accessManager) {}

    /// @inheritdoc ILossSharing
    function createScheme(bytes32 name, SchemeParty[] calldata parties)
        external
        restricted
        returns (uint32 schemeId)
    {
        uint256 count = parties.length;
        uint256 totalBps;
        for (uint256 i; i < count; ++i) {
            totalBps += parties[i].shareBps;
        }
        if (count == 0 || count > MAX_PARTIES || totalBps > LossSplit.WHOLE_BPS) {
            revert SchemePartiesInvalid(count, totalBps);
        }
        schemeId = ++_lastSchemeId;
        // count ≤ MAX_PARTIES (8) fits in uint8.
        _schemes[schemeId] = Scheme({name: name, active: true, partyCount: uint8(count)});
        for (uint256 i; i < count; ++i) {
            _parties[schemeId][i] = parties[i];
        }
        emit SchemeCreated(schemeId, name, parties);
    }

    /// @inheritdoc ILossSharing
    function retireScheme(uint32 schemeId) external restricted {
        if (!_schemes[schemeId].active) revert SchemeUnknown(schemeId);
        _schemes[schemeId].active = false;
        emit SchemeRetired(schemeId);
    }

    /// @inheritdoc ILossSharing
    function allocate(uint32 schemeId, uint256 pledgeId, bytes32 debtor, uint256 loss)
        external
        restricted
        returns (uint256 bankShare)
    {
        uint256 partyCount = _schemes[schemeId].partyCount;
        // A scheme retired after the pledge was registered still covers it; only a never-created one is unknown.
        if (partyCount == 0) revert SchemeUnknown(schemeId);
        if (_allocations[pledgeId].schemeId != 0) revert LossAlreadyAllocated(pledgeId);

        uint16 year = CalendarYear.ofTimestamp(block.timestamp);
        uint16[] memory shareBps = new uint16[](partyCount);
        uint256[] memory caps = new uint256[](partyCount);
        for (uint256 i; i < partyCount; ++i) {
            SchemeParty storage party = _parties[schemeId][i];
            shareBps[i] = party.shareBps;
            caps[i] = _tightestCap(party, _usedPerYear[schemeId][i][debtor][year]);
        }
        uint256[] memory shares;
        (shares, bankShare) = LossSplit.split(loss, shareBps, caps);
        _allocations[pledgeId] = Allocation({
            schemeId: schemeId,
            year: year,
            debtor: debtor,
            loss: loss,
            bankShare: bankShare,
            partyShares: shares
        });
        _recordShares(schemeId, pledgeId, debtor, year, shares);
        emit LossAllocated(pledgeId, schemeId, debtor, loss, bankShare);
    }

    function _recordShares(uint32 schemeId, uint256 pledgeId, bytes32 debtor, uint16 year, uint256[] memory shares)
        private
    {
        for (uint256 i; i < shares.length; ++i) {
            SchemeParty storage party = _parties[schemeId][i];
            if (party.perBorrowerYearCap != 0) _usedPerYear[schemeId][i][debtor][year] += shares[i];
            emit LossShareRecorded(pledgeId, schemeId, i, party.name, shares[i]);
        }
    }

    /// @inheritdoc ILossSharing
    function isActive(uint32 schemeId) external view returns (bool) {
        return _schemes[schemeId].active;
    }

    /// @inheritdoc ILossSharing
    function schemeOf(uint32 schemeId) external view returns (Scheme memory scheme, SchemeParty[] memory parties) {
        scheme = _schemes[schemeId];
        parties = new SchemeParty[](scheme.partyCount);
        for (uint256 i; i < scheme.partyCount; ++i) {
            parties[i] = _parties[schemeId][i];
        }
    }

    /// @inheritdoc ILossSharing
    function allocationOf(uint256 pledgeId) external view returns (Allocation memory) {
        return _allocations[pledgeId];
    }

    /// @inheritdoc ILossSharing
    function usedThisYear(uint32 schemeId, uint256 partyIndex, bytes32 debtor, uint16 year)
        external
        view
        returns (uint256)
    {
        return _usedPerYear[schemeId][partyIndex][debtor][year];
    }

    /// @dev The tighter of the per-loan cap and what is left of the yearly cap; `type(uint256).max` when the
    /// party has neither (a configured cap of 0 means "none"). A used-up yearly cap gives 0, which binds.
    function _tightestCap(SchemeParty storage party, uint256 usedThisYear_) private view returns (uint256 cap) {
        cap = party.perLoanCap == 0 ? type(uint256).max : party.perLoanCap;
        uint256 yearCap = party.perBorrowerYearCap;
        if (yearCap != 0) {
            uint256 left = yearCap > usedThisYear_ ? yearCap - usedThisYear_ : 0;
            if (left < cap) cap = left;
        }
    }
}
