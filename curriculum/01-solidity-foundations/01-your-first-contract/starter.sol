// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract SimpleStorage {
    // Give storedNumber the value 42 at deployment.
    uint256 public storedNumber;

    function store(uint256 newNumber) public {
        // save newNumber in storedNumber
    }
}
