// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title ReferenceERC721
/// @notice Reference only (gas benchmark, bench/gas.ts): a plain OpenZeppelin ERC-721, never deployed with the
/// registry.
contract ReferenceERC721 is ERC721 {
    constructor() ERC721("Reference", "REF") {}

    /// @notice Mints token `tokenId` to `to` (anyone may, this is a benchmark).
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
