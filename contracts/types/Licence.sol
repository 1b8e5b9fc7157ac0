// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @notice First licence (patentee → originator) or sub-licence (originator → licensee), SPEC §6 "sub-licensing".
enum LicenceKind {
    First,
    Sub
}

/// @notice One licence-fee instalment due from a sub-licensee. Money in the payment token's smallest unit.
struct Instalment {
    uint40 dueDate;
    uint216 amount;
}

/// @notice What the holders of the assets sign to grant the first licence.
struct FirstLicenceTerms {
    bytes32[] assetIds;
    address[] licensors; // every holder of every asset
    address licensee; // the originator
    bool exclusive;
    bool subLicensable;
    uint256 upfrontFee; // the whole multi-year fee, paid up front: the patentee's financing
    uint40 startDate;
    uint40 endDate;
    bytes32 contractHash; // SHA-256 of the signed licence contract
}

/// @notice What the sub-licensee signs: the originator sub-licenses the first licence's assets against instalments.
struct SubLicenceTerms {
    uint256 firstLicenceId;
    address licensee;
    Instalment[] schedule; // in order of due date
    uint40 startDate;
    uint40 endDate;
    bytes32 contractHash;
}

/// @notice A licence as stored; its assets and instalments are kept beside it.
struct Licence {
    LicenceKind kind;
    bool exclusive;
    bool subLicensable;
    uint8 assetCount;
    uint8 instalmentCount;
    uint40 startDate;
    uint40 endDate;
    address licensor; // for a first licence: the first holder; all licensors are in the FirstLicenceRecorded event
    address licensee;
    uint256 firstLicenceId; // for a sub-licence
    uint256 upfrontFee; // for a first licence
    bytes32 contractHash;
}
