// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract BatchReader {
    function total(uint256[] calldata amounts) external pure returns (uint256 sum) {
        for (uint256 i = 0; i < amounts.length; i++) {
            sum += amounts[i];
        }
    }

    function totalOf(uint256[] calldata amounts, uint256 start, uint256 end)
        external
        pure
        returns (uint256 sum)
    {
        require(start <= end && end <= amounts.length, "range out of bounds");
        // A slice of a calldata array points into the call's input: nothing is copied.
        uint256[] calldata part = amounts[start:end];
        for (uint256 i = 0; i < part.length; i++) {
            sum += part[i];
        }
    }

    function decodeTransfer(bytes calldata payload)
        external
        pure
        returns (bytes4 selector, address to, uint256 amount)
    {
        selector = bytes4(payload[:4]);
        (to, amount) = abi.decode(payload[4:], (address, uint256));
    }
}
