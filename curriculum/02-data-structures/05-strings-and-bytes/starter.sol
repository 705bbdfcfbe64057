// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Text {
    function equal(string calldata a, string calldata b) external pure returns (bool) {
        // compare the hashes of the two strings
    }

    function greet(string calldata name) external pure returns (string memory) {
        // "Hello, " + name + "!"
    }

    function byteLength(string calldata s) external pure returns (uint256) {
        // the length of s in bytes
    }

    function isPalindrome(string calldata s) external pure returns (bool) {
        // compare the first byte with the last, the second with the one before last, ...
    }
}
