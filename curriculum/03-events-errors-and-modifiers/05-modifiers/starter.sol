// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract GuardedCounter {
    address public immutable admin;
    bool public paused;
    uint256 public count;
    uint256 public changes;

    constructor() {
        admin = msg.sender;
    }

    modifier onlyAdmin() {
        // revert with "not the admin" unless the caller is the admin
        _;
    }

    modifier whenNotPaused() {
        // revert with "paused" while the counter is paused
        _;
    }

    modifier atMost(uint256 amount, uint256 limit) {
        // revert with "step too large" when amount is above limit
        _;
    }

    modifier counted() {
        _;
        changes += 1;
    }

    // use whenNotPaused and atMost(step, 10)
    function add(uint256 step) external counted {
        count += step;
    }

    // admin only, and counted
    function reset() external {
        count = 0;
    }

    // admin only
    function pause() external {
        paused = true;
    }

    // admin only
    function unpause() external {
        paused = false;
    }
}
