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
        require(msg.sender == admin, "not the admin");
        _;
    }

    modifier whenNotPaused() {
        require(!paused, "paused");
        _;
    }

    modifier atMost(uint256 amount, uint256 limit) {
        require(amount <= limit, "step too large");
        _;
    }

    modifier counted() {
        _;
        changes += 1;
    }

    function add(uint256 step) external whenNotPaused atMost(step, 10) counted {
        count += step;
    }

    function reset() external onlyAdmin counted {
        count = 0;
    }

    function pause() external onlyAdmin {
        paused = true;
    }

    function unpause() external onlyAdmin {
        paused = false;
    }
}
