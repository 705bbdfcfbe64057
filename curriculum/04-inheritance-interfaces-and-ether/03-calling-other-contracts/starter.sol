// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface ICounter {
    function increment() external;
    function count() external view returns (uint256);
}

contract Counter {
    uint256 public count;
    uint256 public immutable limit;
    address public lastCaller;

    constructor(uint256 limit_) {
        limit = limit_;
    }

    function increment() external {
        require(count < limit, "counter is full");
        count += 1;
        lastCaller = msg.sender;
    }
}

contract Relay {
    ICounter public counter;
    address public lastSender;

    constructor(address counterAddress) {
        // remember the counter, as an ICounter
    }

    function forward() external returns (uint256) {
        // record who called, increment the counter, return its new count
    }

    function forwardTimes(uint256 times) external {
        // increment the counter `times` times
    }
}
