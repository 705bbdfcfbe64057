// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract FeeSettings {
    address public owner;
    uint256 public feePercent;

    constructor(uint256 initialFeePercent) {
        // reject a fee above 100, then remember the deployer as the owner and store the fee
    }

    function setFeePercent(uint256 newFeePercent) external {
        // only the owner, and never above 100
        feePercent = newFeePercent;
    }

    function transferOwnership(address newOwner) external {
        // only the owner may hand the contract over
    }
}
