// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract LimitsTest is Test {
    Limits limits;

    function setUp() public {
        limits = new Limits();
    }

    function test_maxUint8_is_255() public view {
        assertEq(limits.maxUint8(), 255, "maxUint8()");
    }

    function test_minInt8_is_minus_128() public view {
        assertEq(int256(limits.minInt8()), -128, "minInt8()");
    }

    function test_addUint8_adds_numbers_whose_sum_fits() public view {
        assertEq(limits.addUint8(2, 3), 5, "addUint8(2, 3)");
        assertEq(limits.addUint8(200, 55), 255, "addUint8(200, 55)");
    }

    function test_addUint8_reverts_when_the_sum_does_not_fit() public {
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        limits.addUint8(200, 56);
    }

    function test_wrappingAddUint8_wraps_around_past_255() public view {
        assertEq(limits.wrappingAddUint8(2, 3), 5, "wrappingAddUint8(2, 3)");
        assertEq(limits.wrappingAddUint8(255, 1), 0, "wrappingAddUint8(255, 1)");
        assertEq(limits.wrappingAddUint8(200, 100), 44, "wrappingAddUint8(200, 100)");
    }

    function test_lowestByte_keeps_only_the_lowest_8_bits() public view {
        assertEq(limits.lowestByte(7), 7, "lowestByte(7)");
        assertEq(limits.lowestByte(300), 44, "lowestByte(300)");
        assertEq(limits.lowestByte(256), 0, "lowestByte(256)");
    }
}
