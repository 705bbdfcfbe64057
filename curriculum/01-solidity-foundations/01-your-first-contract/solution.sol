// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract SimpleStorage {
    uint256 public storedNumber = 42;

    function store(uint256 newNumber) public {
        storedNumber = newNumber;
    }
}
