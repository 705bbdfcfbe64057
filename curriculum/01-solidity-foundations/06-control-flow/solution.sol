// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Loops {
    function sumTo(uint256 n) external pure returns (uint256 total) {
        require(n <= 1000, "n too large");
        for (uint256 i = 1; i <= n; i++) {
            total += i;
        }
    }

    function countDigits(uint256 n) external pure returns (uint256 count) {
        do {
            count += 1;
            n /= 10;
        } while (n > 0);
    }

    function isPrime(uint16 n) external pure returns (bool) {
        if (n < 2) {
            return false;
        }
        for (uint256 d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
