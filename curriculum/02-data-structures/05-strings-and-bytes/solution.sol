// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Text {
    function equal(string calldata a, string calldata b) external pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    function greet(string calldata name) external pure returns (string memory) {
        return string.concat("Hello, ", name, "!");
    }

    function byteLength(string calldata s) external pure returns (uint256) {
        return bytes(s).length;
    }

    function isPalindrome(string calldata s) external pure returns (bool) {
        bytes calldata b = bytes(s);
        uint256 n = b.length;
        for (uint256 i = 0; i < n / 2; i++) {
            if (b[i] != b[n - 1 - i]) {
                return false;
            }
        }
        return true;
    }
}
