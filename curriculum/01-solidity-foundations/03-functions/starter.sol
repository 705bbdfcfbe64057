// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Counter {
    uint256 public count;

    function increment() external {
        // add one to count
    }

    function decrement() external {
        // take one away from count
    }

    function doubled() external view returns (uint256) {
        // return twice the count
    }
}
