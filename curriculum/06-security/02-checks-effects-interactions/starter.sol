// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Bank {
    error ReentrantCall();

    mapping(address => uint256) public balances;
    bool private locked;

    /// Write the guard: revert with ReentrantCall() if a guarded function is already running,
    /// otherwise lock, run the function, and unlock.
    modifier nonReentrant() {
        _;
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value;
    }

    /// Reorder this function: checks, then effects, then the interaction.
    function withdraw() external nonReentrant {
        uint256 amount = balances[msg.sender];
        require(amount > 0, "nothing to withdraw");

        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");

        balances[msg.sender] = 0;
    }

    function transfer(address to, uint256 amount) external nonReentrant {
        require(balances[msg.sender] >= amount, "insufficient balance");
        balances[msg.sender] -= amount;
        balances[to] += amount;
    }
}
