// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract GuardedCounterTest is Test {
    GuardedCounter counter;
    address alice = makeAddr("alice");

    function setUp() public {
        counter = new GuardedCounter(); // the test contract is the admin
    }

    function test_add_increases_the_count_by_the_step() public {
        vm.prank(alice);
        counter.add(4);
        counter.add(10);
        assertEq(counter.count(), 14, "count after adding 4 and 10");
    }

    function test_a_step_above_10_reverts() public {
        vm.expectRevert("step too large");
        counter.add(11);
        assertEq(counter.count(), 0, "count after the refused step");
    }

    function test_only_the_admin_can_pause() public {
        vm.expectRevert("not the admin");
        vm.prank(alice);
        counter.pause();
        assertFalse(counter.paused(), "paused after alice tried to pause");

        counter.pause();
        assertTrue(counter.paused(), "paused after the admin paused");
    }

    function test_add_reverts_while_paused_and_works_again_after_unpause() public {
        counter.pause();
        vm.expectRevert("paused");
        counter.add(1);

        vm.expectRevert("not the admin");
        vm.prank(alice);
        counter.unpause();

        counter.unpause();
        counter.add(1);
        assertEq(counter.count(), 1, "count after unpausing and adding 1");
    }

    function test_only_the_admin_can_reset() public {
        counter.add(7);
        vm.expectRevert("not the admin");
        vm.prank(alice);
        counter.reset();
        assertEq(counter.count(), 7, "count after alice tried to reset");

        counter.reset();
        assertEq(counter.count(), 0, "count after the admin reset");
    }

    function test_changes_counts_only_successful_changes() public {
        counter.add(3);
        counter.add(5);
        vm.expectRevert("step too large");
        counter.add(50);
        counter.reset();
        assertEq(counter.changes(), 3, "changes after two adds, one refused add and a reset");
    }
}
