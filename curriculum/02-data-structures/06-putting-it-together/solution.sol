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
        require(bytes(text).length > 0, "empty task");
        Task[] storage tasks = tasksOf[msg.sender];
        tasks.push(Task({text: text, done: false}));
        pendingCount[msg.sender] += 1;
        return tasks.length - 1;
    }

    function toggle(uint256 id) external {
        Task[] storage tasks = tasksOf[msg.sender];
        require(id < tasks.length, "no such task");
        Task storage task = tasks[id];
        if (task.done) {
            pendingCount[msg.sender] += 1;
        } else {
            pendingCount[msg.sender] -= 1;
        }
        task.done = !task.done;
    }

    function remove(uint256 id) external {
        Task[] storage tasks = tasksOf[msg.sender];
        require(id < tasks.length, "no such task");
        if (!tasks[id].done) {
            pendingCount[msg.sender] -= 1;
        }
        tasks[id] = tasks[tasks.length - 1];
        tasks.pop();
    }

    function count(address owner) external view returns (uint256) {
        return tasksOf[owner].length;
    }

    function taskOf(address owner, uint256 id) external view returns (Task memory) {
        Task[] storage tasks = tasksOf[owner];
        require(id < tasks.length, "no such task");
        return tasks[id];
    }
}
