// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Quotes the fee on a payment. None of its settings ever change after deployment, yet every
/// quote reads all three from storage. Make them constants and immutables.
contract FeeQuoter {
    error AmountTooLarge(uint256 amount, uint256 max);

    uint256 public feeBps = 250;             // 2.5%, in basis points (1/100 of a percent)
    uint256 public maxAmount = 1_000 ether;
    address public treasury;                 // where fees go, chosen at deployment

    constructor(address treasury_) {
        treasury = treasury_;
    }

    function quote(uint256 amount) external view returns (uint256 fee, uint256 net, address feeTo) {
        if (amount > maxAmount) revert AmountTooLarge(amount, maxAmount);
        fee = (amount * feeBps) / 10_000;
        net = amount - fee;
        feeTo = treasury;
    }
}
