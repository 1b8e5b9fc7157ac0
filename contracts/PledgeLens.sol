// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {ConsentInspection} from "./ConsentInspection.sol";
import {PledgeRegistry} from "./PledgeRegistry.sol";
import {IPledgeLens} from "./interfaces/IPledgeLens.sol";
import {Consent, Pledge, PledgeStatus, PledgeTerms, Reason, RuleFailure} from "./types/Pledge.sol";
import {PledgeRules} from "./libraries/PledgeRules.sol";
import {PledgeTypedData} from "./libraries/PledgeTypedData.sol";

/// @title Read-only lens on one pledge register: the preflight of its rules and the digests its parties sign.
/// @notice Runs the register's own rules engine (PledgeRules) on what the register and its sources hold now, so a
/// preflight and a submission can never disagree. It has no state and no privileges.
contract PledgeLens is IPledgeLens, ConsentInspection {
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    /// @notice The register this lens reads.
    PledgeRegistry public immutable registry;

    constructor(PledgeRegistry registry_) {
        registry = registry_;
    }

    /// @inheritdoc IPledgeLens
    function evaluate(PledgeTerms calldata terms, Consent[] calldata pledgorConsents, Consent calldata pledgeeConsent)
        external
        view
        returns (RuleFailure[] memory)
    {
        PledgeRules.checkShape(_sources(), terms, pledgorConsents.length);
        (RuleFailure[] memory signatureFailures, uint256 found, bool[] memory consented) =
            _signatureFailures(terms, pledgorConsents, pledgeeConsent);
        return _concat(signatureFailures, found, _evaluate(terms, consented, 0));
    }

    /// @inheritdoc IPledgeLens
    function evaluatePending(uint256 pledgeId) external view returns (RuleFailure[] memory) {
        Pledge memory pledge = registry.pledgeOf(pledgeId);
        if (pledge.status == PledgeStatus.None) revert PledgeNotFound(pledgeId);
        if (pledge.status != PledgeStatus.Pending) revert PledgeStatusInvalid(pledgeId, pledge.status);
        PledgeTerms memory terms =
            PledgeRules.termsOf(pledge, registry.pledgedAssetsOf(pledgeId), registry.pledgorsOf(pledgeId));
        return _evaluate(terms, PledgeRules.allTrue(terms.pledgors.length), pledgeId);
    }

    /// @inheritdoc IPledgeLens
    function applicationDigest(PledgeTerms calldata terms, address signer, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        bytes memory signedFields =
            abi.encode(PledgeTypedData.PLEDGE_APPLICATION_TYPEHASH, PledgeTypedData.hashTerms(terms));
        return _digest(signedFields, signer, nonce, deadline);
    }

    /// @dev The signature failures of an application (the first `found` of `failures`), and which pledgors count
    /// as having consented for the co-owner rule.
    function _signatureFailures(
        PledgeTerms calldata terms,
        Consent[] calldata pledgorConsents,
        Consent calldata pledgeeConsent
    ) private view returns (RuleFailure[] memory failures, uint256 found, bool[] memory consented) {
        bytes memory signedFields =
            abi.encode(PledgeTypedData.PLEDGE_APPLICATION_TYPEHASH, PledgeTypedData.hashTerms(terms));
        uint256 pledgorCount = terms.pledgors.length;
        failures = new RuleFailure[](pledgorCount + 1);
        consented = new bool[](pledgorCount);
        for (uint256 i; i <= pledgorCount; ++i) {
            address party = i < pledgorCount ? terms.pledgors[i] : terms.pledgee;
            Consent calldata consent = i < pledgorCount ? pledgorConsents[i] : pledgeeConsent;
            (bool given, Reason problem, uint256 detail) = _inspectConsent(party, signedFields, consent);
            if (problem == Reason.None && !given && i == pledgorCount) problem = Reason.SignatureInvalid;
            if (problem != Reason.None) failures[found++] = RuleFailure(problem, bytes32(0), party, detail);
            // A pledgor whose signature is faulty is reported for that fault alone, not again as a missing consent.
            if (i < pledgorCount) consented[i] = given || problem != Reason.None;
        }
    }

    /// @dev The register's sources, read from the register itself.
    function _sources() private view returns (PledgeRules.Sources memory) {
        return PledgeRules.Sources(
            registry.assetRegister(),
            registry.valuationVerifier(),
            registry.lossSharing(),
            IAccessManager(registry.authority())
        );
    }

    /// @dev The rules engine on `terms`, with the pledge holding each asset now as the register says.
    function _evaluate(PledgeTerms memory terms, bool[] memory consented, uint256 self)
        private
        view
        returns (RuleFailure[] memory)
    {
        uint256[] memory holdingPledges = new uint256[](terms.assetIds.length);
        for (uint256 i; i < holdingPledges.length; ++i) {
            holdingPledges[i] = registry.collateralStatusOf(terms.assetIds[i]).pledgeId;
        }
        return PledgeRules.evaluate(_sources(), terms, consented, self, holdingPledges);
    }

    /// @dev Digests are built under the register's EIP-712 domain, read from the register (ERC-5267).
    function _hashTypedData(bytes32 structHash) internal view override returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            registry.eip712Domain();
        bytes32 domainSeparator = keccak256(
            abi.encode(_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes(version)), chainId, verifyingContract)
        );
        return MessageHashUtils.toTypedDataHash(domainSeparator, structHash);
    }

    /// @dev Nonces live in the register.
    function _isNonceUsed(address signer, uint256 nonce) internal view override returns (bool) {
        return registry.isNonceUsed(signer, nonce);
    }

    function _concat(RuleFailure[] memory head, uint256 headCount, RuleFailure[] memory tail)
        private
        pure
        returns (RuleFailure[] memory all)
    {
        all = new RuleFailure[](headCount + tail.length);
        for (uint256 i; i < headCount; ++i) {
            all[i] = head[i];
        }
        for (uint256 i; i < tail.length; ++i) {
            all[headCount + i] = tail[i];
        }
    }
}
