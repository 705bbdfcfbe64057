// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// The gas windows below include the test's own code around each call: keep it the same coder
// for everyone (the runner compiles tests with ABI coder v1 unless they name one).
pragma abicoder v2;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract ClubTest is Test {
    Club club;
    address alice = makeAddr("alice");

    function setUp() public {
        club = new Club();
    }

    function test_join_records_the_member() public {
        vm.warp(1_750_000_000);
        vm.prank(alice);
        club.join(7);
        (address account, uint256 joinedAt, uint256 level, bool active) = club.memberOf(alice);
        assertEq(account, alice, "account of the new member");
        assertEq(joinedAt, 1_750_000_000, "joinedAt of the new member (the block's timestamp)");
        assertEq(level, 7, "level of the new member");
        assertTrue(active, "the new member is active");
    }

    function test_the_highest_level_fits() public {
        vm.prank(alice);
        club.join(65535);
        (, , uint256 level, ) = club.memberOf(alice);
        assertEq(level, 65535, "level after joining at the highest level");
    }

    function test_a_level_above_65535_reverts_with_LevelTooHigh() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Club.LevelTooHigh.selector, 65536));
        club.join(65536);
    }

    function test_resign_keeps_the_record_but_clears_active() public {
        vm.prank(alice);
        club.join(3);
        vm.prank(alice);
        club.resign();
        (address account, , uint256 level, bool active) = club.memberOf(alice);
        assertEq(account, alice, "account after resigning");
        assertEq(level, 3, "level after resigning");
        assertFalse(active, "active after resigning");
    }

    function test_joining_costs_less_than_two_new_storage_slots() public {
        // Writing a fresh slot costs 22,100 gas (20,000 for zero to non-zero, 2,100 for a cold
        // slot). A Member that fits in one slot is one such write plus a few thousand gas.
        vm.prank(alice);
        uint256 before = gasleft();
        club.join(7);
        uint256 used = before - gasleft();
        assertLt(used, 2 * 22_100, "gas used by join() (is Member packed into one slot?)");
    }
}
