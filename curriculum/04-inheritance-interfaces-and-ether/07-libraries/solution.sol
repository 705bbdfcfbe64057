// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

library Percent {
    error PercentTooHigh(uint256 percent);

    function percentOf(uint256 amount, uint256 percent) internal pure returns (uint256) {
        if (percent > 100) revert PercentTooHigh(percent);
        return (amount * percent) / 100;
    }

    function addPercent(uint256 amount, uint256 percent) internal pure returns (uint256) {
        return amount + percentOf(amount, percent);
    }
}

contract Checkout {
    using Percent for uint256;

    uint256 public immutable feePercent;

    constructor(uint256 feePercent_) {
        feePercent = feePercent_;
    }

    function fee(uint256 price) external view returns (uint256) {
        return price.percentOf(feePercent);
    }

    function total(uint256 price) external view returns (uint256) {
        return price.addPercent(feePercent);
    }
}
