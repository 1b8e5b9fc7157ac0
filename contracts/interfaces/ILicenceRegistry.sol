// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {Consent} from "../types/Pledge.sol";
import {FirstLicenceTerms, Instalment, Licence, SubLicenceTerms} from "../types/Licence.sol";
import {IPartyConsent} from "./IPartyConsent.sol";

/// @title Licence agreements behind tokenised licence-fee receivables (SPEC §6, steps 1–2).
/// @notice The first licence is recorded by its licensee (an originator) with the consent of every holder of the
/// assets; a sub-licence by the first licence's licensee with the sub-licensee's consent. An asset that is not
/// granted, not in force, has unpaid annual fees or is frozen cannot be licensed (the asset register's rules).
interface ILicenceRegistry is IPartyConsent {
    /// @notice A first licence was recorded; `licensors` are every holder who granted it.
    event FirstLicenceRecorded(
        uint256 indexed licenceId, address indexed licensee, address[] licensors, FirstLicenceTerms terms
    );
    /// @notice A sub-licence was recorded under first licence `firstLicenceId`, with its instalment schedule.
    event SubLicenceRecorded(
        uint256 indexed licenceId, uint256 indexed firstLicenceId, address indexed licensee, SubLicenceTerms terms
    );
    /// @notice The sub-licence's receivables were assigned to `pool` by its licensor.
    event ReceivableAssigned(uint256 indexed licenceId, address indexed pool);

    /// @notice The asset cannot be licensed now: `reason` is the `Reason` code (2 not in force, 3 not granted,
    /// 4 annual fee unpaid, 5 frozen), the same rules a pledge is refused by.
    error AssetNotLicensable(bytes32 assetId, uint8 reason);
    /// @notice The licence would outlast the asset.
    error LicenceBeyondExpiry(bytes32 assetId, uint256 expiryDate);
    /// @notice `holder`, a holder of the asset, is not among the licensors.
    error HolderNotLicensor(bytes32 assetId, address holder);
    /// @notice `licensor` holds none of the licensed assets.
    error LicensorNotHolder(address licensor);
    /// @notice Only an originator may take a first licence, and only for itself (`licensee` must send it).
    error LicenseeInvalid(address licensee);
    /// @notice Counts, dates, amounts or order are not sensible (1–32 distinct assets, 1–16 distinct licensors, 1–64
    /// instalments in order of due date within the term, non-zero amounts, a start date before the end date, one
    /// consent per licensor, a pool address that is not zero).
    error LicenceTermsInvalid();
    /// @notice The asset is licensed until `until` in a way this licence would overlap: an exclusive licence admits no
    /// other, and an exclusive licence cannot be granted over an existing one.
    error LicenceConflict(bytes32 assetId, uint40 until);
    /// @notice No licence has this id, or it is not of the kind the step needs.
    error LicenceNotFound(uint256 licenceId);
    /// @notice The first licence does not allow sub-licensing, or the sub-licence falls outside its term.
    error SubLicenceNotAllowed(uint256 firstLicenceId);
    /// @notice Only the licence's licensor, while it holds the ORIGINATOR role, may take this step.
    error NotLicensor(uint256 licenceId, address caller);
    /// @notice The sub-licence's receivables already belong to `pool`.
    error ReceivableAlreadyAssigned(uint256 licenceId, address pool);

    /// @notice Record a first licence; every licensor signs an EIP-712 `FirstLicenceGrant` (or sends it itself).
    /// @dev The licensee (an ORIGINATOR) sends it.
    function recordFirstLicence(FirstLicenceTerms calldata terms, Consent[] calldata licensorConsents)
        external
        returns (uint256 licenceId);

    /// @notice Record a sub-licence with its instalment schedule; the sub-licensee signs an EIP-712
    /// `SubLicenceGrant` (or sends it itself).
    /// @dev The first licence's licensee sends it.
    function recordSubLicence(SubLicenceTerms calldata terms, Consent calldata licenseeConsent)
        external
        returns (uint256 licenceId);

    /// @notice Assign a sub-licence's receivables to a pool (special plan); once only.
    /// @dev The sub-licence's licensor (the originator) sends it.
    function assignToPool(uint256 licenceId, address pool) external;

    /// @notice A licence.
    function licenceOf(uint256 licenceId) external view returns (Licence memory);

    /// @notice A licence's assets (for a sub-licence: those of its first licence).
    function assetsOf(uint256 licenceId) external view returns (bytes32[] memory);

    /// @notice A sub-licence's instalment schedule.
    function scheduleOf(uint256 licenceId) external view returns (Instalment[] memory);

    /// @notice One instalment of a sub-licence.
    function instalmentOf(uint256 licenceId, uint256 index) external view returns (Instalment memory);

    /// @notice The pool a sub-licence's receivables belong to (zero if none).
    function poolOf(uint256 licenceId) external view returns (address);

    /// @notice The number of licences recorded (ids run from 1).
    function lastLicenceId() external view returns (uint256);
}
