// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ITrancheToken} from "./interfaces/ITrancheToken.sol";
import {IInvestorRegistry} from "./interfaces/IInvestorRegistry.sol";

interface IPoolFactor {
    function poolFactorOf(uint256 trancheIndex) external view returns (uint256);
}

/// @title A tranche token, issued by its pool, with pull-based claims in O(1) per holder.
contract TrancheToken is ITrancheToken, ERC20 {
    using SafeCast for uint256;

    /// @dev Per-token amounts are kept multiplied by 2^128 so that small distributions over a large supply still
    /// accrue; what the magnification cannot represent is never credited (see `distribute`).
    uint256 private constant _MAGNITUDE = 2 ** 128;

    /// @inheritdoc ITrancheToken
    address public immutable pool;
    /// @inheritdoc ITrancheToken
    uint8 public immutable trancheIndex;
    IInvestorRegistry public immutable investors;
    uint8 private immutable _decimals;

    uint256 private _magnifiedPerToken;
    /// @dev Σ over distributions of increment × supply: the magnified total credited to all holders.
    uint256 private _magnifiedCredited;
    mapping(address holder => int256 correction) private _corrections;
    mapping(address holder => uint256 claimed) private _claimed;

    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        IInvestorRegistry investors_,
        uint8 trancheIndex_
    ) ERC20(name_, symbol_) {
        pool = msg.sender;
        investors = investors_;
        trancheIndex = trancheIndex_;
        _decimals = decimals_;
    }

    modifier onlyPool() {
        if (msg.sender != pool) revert TrancheTokenOnlyPool(msg.sender);
        _;
    }

    /// @inheritdoc ITrancheToken
    function mint(address to, uint256 amount) external onlyPool {
        _mint(to, amount);
    }

    /// @inheritdoc ITrancheToken
    function burn(address from, uint256 amount) external onlyPool {
        _burn(from, amount);
    }

    /// @inheritdoc ITrancheToken
    /// @dev Rounding: the increment per token rounds down, and what is credited is the growth of
    /// floor(magnified total ÷ 2^128), so the holders' claims together never exceed what was credited, and each
    /// distribution credits at most its amount. The pool books `amount - credited` as dust.
    function distribute(uint256 amount) external onlyPool returns (uint256 credited) {
        uint256 supply = totalSupply();
        if (supply == 0 || amount == 0) return 0;
        uint256 increment = Math.mulDiv(amount, _MAGNITUDE, supply);
        uint256 creditedBefore = _magnifiedCredited / _MAGNITUDE;
        _magnifiedPerToken += increment;
        _magnifiedCredited += increment * supply;
        credited = _magnifiedCredited / _MAGNITUDE - creditedBefore;
        emit TrancheDistributed(amount, credited);
    }

    /// @inheritdoc ITrancheToken
    /// @dev The magnified total must reach (credited before + amount) × 2^128; rounding the increment up overshoots it
    /// by less than the supply, so while the supply is below 2^128 the credited total grows by `amount` exactly. Each
    /// holder's claim is the floor of its magnified share, so the claims together stay within the credited total.
    function distributeExact(uint256 amount) external onlyPool returns (uint256 credited) {
        uint256 supply = totalSupply();
        if (supply == 0 || amount == 0) return 0;
        uint256 creditedBefore = _magnifiedCredited / _MAGNITUDE;
        uint256 target = (creditedBefore + amount) * _MAGNITUDE;
        uint256 increment = Math.ceilDiv(target - _magnifiedCredited, supply);
        _magnifiedPerToken += increment;
        _magnifiedCredited += increment * supply;
        credited = _magnifiedCredited / _MAGNITUDE - creditedBefore;
        emit TrancheDistributed(amount, credited);
    }

    /// @inheritdoc ITrancheToken
    function recordClaim(address holder) external onlyPool returns (uint256 amount) {
        amount = claimableOf(holder);
        _claimed[holder] += amount;
    }

    /// @inheritdoc ITrancheToken
    function claimableOf(address holder) public view returns (uint256) {
        return accumulatedOf(holder) - _claimed[holder];
    }

    /// @inheritdoc ITrancheToken
    function accumulatedOf(address holder) public view returns (uint256) {
        // Never negative: it is Σ increment × balance held at each distribution, magnified.
        int256 magnified = (_magnifiedPerToken * balanceOf(holder)).toInt256() + _corrections[holder];
        return uint256(magnified) / _MAGNITUDE;
    }

    /// @inheritdoc ITrancheToken
    function totalCredited() external view returns (uint256) {
        return _magnifiedCredited / _MAGNITUDE;
    }

    /// @inheritdoc ITrancheToken
    function poolFactor() external view returns (uint256) {
        return IPoolFactor(pool).poolFactorOf(trancheIndex);
    }

    /// @notice The payment token's decimals: one tranche token is one unit of face value.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @dev Only identified investors receive tokens, and only identified investors send them (a removed investor
    /// keeps its tokens and claims but cannot pass them on); burning for a refund is always allowed. The correction
    /// keeps what accrued before the move with the one who held the tokens then.
    function _update(address from, address to, uint256 value) internal override {
        if (to != address(0) && !investors.isIdentified(to)) revert HolderNotIdentified(to);
        if (from != address(0) && to != address(0) && !investors.isIdentified(from)) revert HolderNotIdentified(from);
        super._update(from, to, value);
        int256 correction = (_magnifiedPerToken * value).toInt256();
        if (from != address(0)) _corrections[from] += correction;
        if (to != address(0)) _corrections[to] -= correction;
    }
}
