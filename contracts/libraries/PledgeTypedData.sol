// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {PledgeTerms, SecuredDebt} from "../types/Pledge.sol";

/// @title EIP-712 types the parties sign instead of paper.
/// @notice Every action type ends with `address signer,uint256 nonce,uint256 deadline`: each party signs its own
/// copy with its own nonce, so a bank can co-sign many applications at once in any order. The gateway builds the
/// same types in `definitions/typedData.ts`; a test checks the two agree.
library PledgeTypedData {
    string internal constant SECURED_DEBT_TYPE =
        "SecuredDebt(bytes32 debtor,uint256 principal,bytes3 currency,uint40 startDate,uint40 maturityDate)";
    string internal constant PLEDGE_TERMS_TYPE =
        "PledgeTerms(bytes32[] assetIds,address[] pledgors,address pledgee,SecuredDebt debt,bytes32 contractHash,"
        "bytes32 valuationReportId,uint32 riskScheme,bool forfeitureClause,bool invalidationAcknowledged)";

    bytes32 internal constant SECURED_DEBT_TYPEHASH = keccak256(bytes(SECURED_DEBT_TYPE));
    bytes32 internal constant PLEDGE_TERMS_TYPEHASH = keccak256(abi.encodePacked(PLEDGE_TERMS_TYPE, SECURED_DEBT_TYPE));
    bytes32 internal constant PLEDGE_APPLICATION_TYPEHASH = keccak256(
        abi.encodePacked(
            "PledgeApplication(PledgeTerms terms,address signer,uint256 nonce,uint256 deadline)",
            PLEDGE_TERMS_TYPE,
            SECURED_DEBT_TYPE
        )
    );
    bytes32 internal constant PLEDGE_CHANGE_TYPEHASH = keccak256(
        "PledgeChange(uint256 pledgeId,uint256 principal,uint40 maturityDate,address pledgee,address signer,"
        "uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant PLEDGE_WITHDRAWAL_TYPEHASH =
        keccak256("PledgeWithdrawal(uint256 pledgeId,address signer,uint256 nonce,uint256 deadline)");
    bytes32 internal constant PLEDGE_RELEASE_TYPEHASH =
        keccak256("PledgeRelease(uint256 pledgeId,address signer,uint256 nonce,uint256 deadline)");
    bytes32 internal constant PLEDGE_DEFAULT_TYPEHASH = keccak256(
        "PledgeDefault(uint256 pledgeId,bytes32 evidenceHash,address signer,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant PLEDGE_DISPOSAL_TYPEHASH = keccak256(
        "PledgeDisposal(uint256 pledgeId,uint8 method,uint256 proceeds,address transferee,bytes32 evidenceHash,"
        "address signer,uint256 nonce,uint256 deadline)"
    );

    /// @notice The EIP-712 struct hash of the terms.
    function hashTerms(PledgeTerms memory terms) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                PLEDGE_TERMS_TYPEHASH,
                keccak256(abi.encodePacked(terms.assetIds)),
                keccak256(abi.encodePacked(terms.pledgors)),
                terms.pledgee,
                hashDebt(terms.debt),
                terms.contractHash,
                terms.valuationReportId,
                terms.riskScheme,
                terms.forfeitureClause,
                terms.invalidationAcknowledged
            )
        );
    }

    /// @notice The EIP-712 struct hash of the secured debt.
    function hashDebt(SecuredDebt memory debt) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                SECURED_DEBT_TYPEHASH, debt.debtor, debt.principal, debt.currency, debt.startDate, debt.maturityDate
            )
        );
    }
}
