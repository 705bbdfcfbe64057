// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract FeeSettings {
    address public owner;
    uint256 public feePercent;

    constructor(uint256 initialFeePercent) {
        require(initialFeePercent <= 100, "fee above 100%");
        owner = msg.sender;
        feePercent = initialFeePercent;
    }

    function setFeePercent(uint256 newFeePercent) external {
        require(msg.sender == owner, "not the owner");
        require(newFeePercent <= 100, "fee above 100%");
        feePercent = newFeePercent;
    }

    function transferOwnership(address newOwner) external {
        require(msg.sender == owner, "not the owner");
        owner = newOwner;
    }
}
