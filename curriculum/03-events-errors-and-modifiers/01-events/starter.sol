// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TaskList {
    event TaskAdded(uint256 indexed id, address indexed author, string text);
    event TaskCompleted(uint256 indexed id, address indexed by);

    uint256 public taskCount;
    mapping(uint256 => bool) public done;

    function addTask(string calldata text) external returns (uint256 id) {
        // the new task's id is the current taskCount; count it, then emit TaskAdded
    }

    function completeTask(uint256 id) external {
        // mark the task done, then emit TaskCompleted
    }
}
