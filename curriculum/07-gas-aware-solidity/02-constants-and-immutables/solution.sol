// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract FeeQuoter {
    error AmountTooLarge(uint256 amount, uint256 max);

    uint256 public constant FEE_BPS = 250;          // 2.5%
    uint256 public constant MAX_AMOUNT = 1_000 ether;
    address public immutable treasury;

    constructor(address treasury_) {
        treasury = treasury_;
    }

    function quote(uint256 amount) external view returns (uint256 fee, uint256 net, address feeTo) {
        if (amount > MAX_AMOUNT) revert AmountTooLarge(amount, MAX_AMOUNT);
        fee = (amount * FEE_BPS) / 10_000;
        net = amount - fee;
        feeTo = treasury;
    }
}
