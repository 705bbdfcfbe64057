// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

library Percent {
    error PercentTooHigh(uint256 percent);

    function percentOf(uint256 amount, uint256 percent) internal pure returns (uint256) {
        // revert with PercentTooHigh(percent) above 100; otherwise percent% of amount, rounded down
    }

    function addPercent(uint256 amount, uint256 percent) internal pure returns (uint256) {
        // amount plus percent% of amount
    }
}

contract Checkout {
    // attach Percent's functions to uint256 here

    uint256 public immutable feePercent;

    constructor(uint256 feePercent_) {
        feePercent = feePercent_;
    }

    function fee(uint256 price) external view returns (uint256) {
        // feePercent percent of the price
    }

    function total(uint256 price) external view returns (uint256) {
        // the price plus its fee
    }
}
