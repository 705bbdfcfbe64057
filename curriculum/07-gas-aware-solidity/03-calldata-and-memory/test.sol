// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// The gas windows below include the test's own code around each call: keep it the same coder
// for everyone (the runner compiles tests with ABI coder v1 unless they name one).
pragma abicoder v2;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

interface IERC20Transfer {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract BatchReaderTest is Test {
    BatchReader reader;
    address bob = makeAddr("bob");

    function setUp() public {
        reader = new BatchReader();
    }

    function numbers(uint256 count) internal pure returns (uint256[] memory values) {
        values = new uint256[](count);
        for (uint256 i = 0; i < count; i++) values[i] = i + 1;
    }

    /// Calls the reader with calldata encoded beforehand, and returns the gas the call used.
    /// That includes a few thousand gas of the test's own work (passing 16 KB of input), the
    /// same whatever the reader does.
    function gasOfCall(bytes memory data) internal returns (uint256 used, bytes memory result) {
        bool ok;
        uint256 before = gasleft();
        (ok, result) = address(reader).call(data);
        used = before - gasleft();
        assertTrue(ok, "the measured call succeeded");
    }

    function test_total_adds_up_the_amounts() public view {
        assertEq(reader.total(numbers(10)), 55, "total of 1, 2, ..., 10");
        assertEq(reader.total(new uint256[](0)), 0, "total of no amounts");
    }

    function test_totalOf_adds_up_part_of_the_amounts() public view {
        uint256[] memory values = numbers(10);
        assertEq(reader.totalOf(values, 2, 5), 3 + 4 + 5, "totalOf(1..10, 2, 5)");
        assertEq(reader.totalOf(values, 0, 10), 55, "totalOf(1..10, 0, 10)");
        assertEq(reader.totalOf(values, 4, 4), 0, "totalOf an empty range");
    }

    function test_totalOf_refuses_a_range_past_the_end() public {
        uint256[] memory values = numbers(10);
        vm.expectRevert();
        reader.totalOf(values, 8, 11);
    }

    function test_decodeTransfer_splits_a_transfer_call() public view {
        bytes memory payload = abi.encodeCall(IERC20Transfer.transfer, (bob, 250));
        (bytes4 selector, address to, uint256 amount) = reader.decodeTransfer(payload);
        assertEq(bytes32(selector), bytes32(IERC20Transfer.transfer.selector), "selector of transfer(address,uint256)");
        assertEq(to, bob, "recipient in the payload");
        assertEq(amount, 250, "amount in the payload");
    }

    function test_totalOf_three_amounts_does_not_copy_all_500() public {
        bytes memory data = abi.encodeWithSignature("totalOf(uint256[],uint256,uint256)", numbers(500), 10, 13);
        (uint256 used, bytes memory result) = gasOfCall(data);
        assertEq(abi.decode(result, (uint256)), 11 + 12 + 13, "totalOf(1..500, 10, 13)");
        // Copying 500 numbers into memory costs far more than reading 3 of them where they are.
        assertLt(used, 20_000, "gas used by totalOf(500 amounts, 10, 13) (does it copy the array into memory?)");
    }

    function test_decodeTransfer_does_not_copy_the_payload() public {
        bytes memory payload = abi.encodeCall(IERC20Transfer.transfer, (bob, 250));
        (uint256 used, ) = gasOfCall(abi.encodeCall(reader.decodeTransfer, (payload)));
        assertLt(used, 10_000, "gas used by decodeTransfer (does it copy the payload?)");
    }
}
