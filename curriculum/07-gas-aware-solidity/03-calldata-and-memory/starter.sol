// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Helpers for a batching contract. Every parameter is copied into memory before the function
/// runs, and decodeTransfer copies its payload a second time, byte by byte. Read them from
/// calldata instead.
contract BatchReader {
    function total(uint256[] memory amounts) external pure returns (uint256 sum) {
        for (uint256 i = 0; i < amounts.length; i++) {
            sum += amounts[i];
        }
    }

    /// The sum of amounts[start], ..., amounts[end - 1].
    function totalOf(uint256[] memory amounts, uint256 start, uint256 end)
        external
        pure
        returns (uint256 sum)
    {
        require(start <= end && end <= amounts.length, "range out of bounds");
        for (uint256 i = start; i < end; i++) {
            sum += amounts[i];
        }
    }

    /// Splits an encoded call to transfer(address,uint256) into its selector and arguments.
    function decodeTransfer(bytes memory payload)
        external
        pure
        returns (bytes4 selector, address to, uint256 amount)
    {
        selector = bytes4(payload);
        bytes memory args = new bytes(payload.length - 4);
        for (uint256 i = 0; i < args.length; i++) {
            args[i] = payload[i + 4];
        }
        (to, amount) = abi.decode(args, (address, uint256));
    }
}
