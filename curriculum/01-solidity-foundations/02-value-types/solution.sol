// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Limits {
    function maxUint8() external pure returns (uint8) {
        return type(uint8).max;
    }

    function minInt8() external pure returns (int8) {
        return type(int8).min;
    }

    function addUint8(uint8 a, uint8 b) external pure returns (uint8) {
        return a + b;
    }

    function wrappingAddUint8(uint8 a, uint8 b) external pure returns (uint8) {
        unchecked {
            return a + b;
        }
    }

    function lowestByte(uint256 x) external pure returns (uint8) {
        return uint8(x);
    }
}
