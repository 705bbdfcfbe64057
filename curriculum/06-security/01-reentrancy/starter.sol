// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A vault that keeps ether for its depositors. It has a reentrancy bug:
/// fix withdraw() so that the attacker in the tests gets back only what it put in.
contract Vault {
    mapping(address => uint256) public balances;

    function deposit() external payable {
        balances[msg.sender] += msg.value;
    }

    function withdraw() external {
        uint256 amount = balances[msg.sender];
        require(amount > 0, "nothing to withdraw");

        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");

        balances[msg.sender] = 0;
    }
}
