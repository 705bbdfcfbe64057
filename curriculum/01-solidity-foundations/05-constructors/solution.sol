// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Campaign {
    address public creator;
    uint256 public goal;
    uint256 public deadline;

    constructor(uint256 goalAmount, uint256 durationDays) {
        require(goalAmount > 0, "goal is zero");
        require(durationDays >= 1 && durationDays <= 90, "bad duration");
        creator = msg.sender;
        goal = goalAmount;
        deadline = block.timestamp + durationDays * 1 days;
    }

    function extend(uint256 extraDays) external {
        require(msg.sender == creator, "not the creator");
        deadline += extraDays * 1 days;
    }
}
