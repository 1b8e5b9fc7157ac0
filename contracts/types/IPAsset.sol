// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @notice The kinds of IP right the register records (SPEC §3).
enum AssetKind {
    InventionPatent,
    UtilityModel,
    Design,
    Trademark,
    Copyright,
    SoftwareCopyright,
    GeographicalIndication,
    PlantVariety,
    DataRight,
    ICLayoutDesign
}

/// @notice Legal status as recorded by the office. Expiry is not a status: it follows from the expiry date.
enum AssetStatus {
    Applied, // filed, not (yet) granted
    Granted, // granted and not lapsed or invalidated
    Lapsed, // lapsed, e.g. for non-payment of annual fees or surrender
    Invalidated // declared invalid
}

/// @notice Why an asset is frozen: an ownership dispute or a court preservation order.
enum FreezeKind {
    None,
    OwnershipDispute,
    PreservationOrder
}

/// @notice One holder (co-owner) of an asset and its share in basis points (all shares add up to 10,000).
struct Holder {
    address holder;
    uint16 shareBps;
}

/// @notice An asset's record, packed into one storage slot; its holders are kept beside it.
struct Asset {
    AssetKind kind;
    AssetStatus status;
    FreezeKind freeze;
    bool invalidationPending;
    uint8 holderCount;
    uint40 grantDate; // 0 while only applied for
    uint40 expiryDate; // 0 = no fixed expiry (e.g. a geographical indication)
    uint40 feesPaidUntil; // annual fees are paid up to this moment; unused for kinds without annual fees
    uint40 recordedAt; // 0 = no such asset
}
