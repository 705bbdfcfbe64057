// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Limits {
    function maxUint8() external pure returns (uint8) {
        // the largest value a uint8 can hold
    }

    function minInt8() external pure returns (int8) {
        // the smallest value an int8 can hold
    }

    function addUint8(uint8 a, uint8 b) external pure returns (uint8) {
        // a + b, reverting when the sum does not fit
    }

    function wrappingAddUint8(uint8 a, uint8 b) external pure returns (uint8) {
        // a + b, wrapping around past 255
    }

    function lowestByte(uint256 x) external pure returns (uint8) {
        // x converted to a uint8
    }
}
