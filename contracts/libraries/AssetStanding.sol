// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Asset, AssetKind, AssetStatus, FreezeKind} from "../types/IPAsset.sol";
import {Reason} from "../types/Pledge.sol";

/// @title Whether an asset can back a pledge or a licence, by the registration rules of SPEC §4.2 (2–5).
/// @dev Pure functions over a stored `Asset`, shared by the asset register's view and the pledge registry.
library AssetStanding {
    /// @notice Kinds whose holders pay annual fees to keep the right alive (patents and plant varieties).
    /// Trademarks are renewed every ten years (their expiry date moves instead); copyrights, geographical
    /// indications, data rights and layout designs pay none.
    function paysAnnualFees(AssetKind kind) internal pure returns (bool) {
        return kind == AssetKind.InventionPatent || kind == AssetKind.UtilityModel || kind == AssetKind.Design
            || kind == AssetKind.PlantVariety;
    }

    /// @notice Only applied for, not granted (ASSET_NOT_GRANTED).
    function isNotGranted(Asset memory asset) internal pure returns (bool) {
        return asset.status == AssetStatus.Applied;
    }

    /// @notice Lapsed, invalidated, or past its expiry date (ASSET_NOT_IN_FORCE). An asset expires at the
    /// first second of its expiry date.
    function isNotInForce(Asset memory asset, uint256 at) internal pure returns (bool) {
        return asset.status == AssetStatus.Lapsed || asset.status == AssetStatus.Invalidated
            || (asset.expiryDate != 0 && asset.expiryDate <= at);
    }

    /// @notice A granted right whose annual fees are not paid up to now (ANNUAL_FEE_UNPAID).
    function hasUnpaidFees(Asset memory asset, uint256 at) internal pure returns (bool) {
        return asset.status == AssetStatus.Granted && paysAnnualFees(asset.kind) && asset.feesPaidUntil < at;
    }

    /// @notice Frozen by an ownership dispute or a preservation order (ASSET_FROZEN).
    function isFrozen(Asset memory asset) internal pure returns (bool) {
        return asset.freeze != FreezeKind.None;
    }

    /// @notice The first problem among rules 2–5, in SPEC order, or `Reason.None`.
    function firstProblem(Asset memory asset, uint256 at) internal pure returns (Reason) {
        if (isNotInForce(asset, at)) return Reason.AssetNotInForce;
        if (isNotGranted(asset)) return Reason.AssetNotGranted;
        if (hasUnpaidFees(asset, at)) return Reason.AnnualFeeUnpaid;
        if (isFrozen(asset)) return Reason.AssetFrozen;
        return Reason.None;
    }
}
