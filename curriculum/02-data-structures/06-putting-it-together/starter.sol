// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TodoList {
    struct Task {
        string text;
        bool done;
    }

    mapping(address owner => Task[]) private tasksOf;
    mapping(address owner => uint256) public pendingCount;

    function add(string calldata text) external returns (uint256 id) {
        // refuse an empty text ("empty task"), store the task, count it as pending, return its id
    }

    function toggle(uint256 id) external {
        // "no such task" past the end; flip done, and keep pendingCount right
    }

    function remove(uint256 id) external {
        // "no such task" past the end; keep pendingCount right, then swap and pop
    }

    function count(address owner) external view returns (uint256) {
        // how many tasks owner has
    }

    function taskOf(address owner, uint256 id) external view returns (Task memory) {
        // "no such task" past the end; otherwise the task
    }
}
