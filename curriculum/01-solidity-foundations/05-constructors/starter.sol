// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Campaign {
    address public creator;
    uint256 public goal;
    uint256 public deadline;

    constructor(uint256 goalAmount, uint256 durationDays) {
        // reject a goal of 0 and a duration outside 1 to 90 days,
        // then remember the deployer, the goal and the deadline
    }

    function extend(uint256 extraDays) external {
        // only the creator may push the deadline back
    }
}
