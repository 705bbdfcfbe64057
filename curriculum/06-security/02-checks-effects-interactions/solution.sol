// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Bank {
    error ReentrantCall();

    mapping(address => uint256) public balances;
    bool private locked;

    modifier nonReentrant() {
        if (locked) revert ReentrantCall();
        locked = true;
        _;
        locked = false;
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value;
    }

    function withdraw() external nonReentrant {
        // Checks
        uint256 amount = balances[msg.sender];
        require(amount > 0, "nothing to withdraw");

        // Effects
        balances[msg.sender] = 0;

        // Interactions
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");
    }

    function transfer(address to, uint256 amount) external nonReentrant {
        require(balances[msg.sender] >= amount, "insufficient balance");
        balances[msg.sender] -= amount;
        balances[to] += amount;
    }
}
