// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Loops {
    function sumTo(uint256 n) external pure returns (uint256 total) {
        // refuse n above 1000, then add 1, 2, ..., n to total
    }

    function countDigits(uint256 n) external pure returns (uint256 count) {
        // how many decimal digits n has (0 has one)
    }

    function isPrime(uint16 n) external pure returns (bool) {
        // 0 and 1 are not prime; otherwise look for a divisor between 2 and the square root of n
    }
}
