// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TaskList {
    event TaskAdded(uint256 indexed id, address indexed author, string text);
    event TaskCompleted(uint256 indexed id, address indexed by);

    uint256 public taskCount;
    mapping(uint256 => bool) public done;

    function addTask(string calldata text) external returns (uint256 id) {
        id = taskCount;
        taskCount += 1;
        emit TaskAdded(id, msg.sender, text);
    }

    function completeTask(uint256 id) external {
        done[id] = true;
        emit TaskCompleted(id, msg.sender);
    }
}
