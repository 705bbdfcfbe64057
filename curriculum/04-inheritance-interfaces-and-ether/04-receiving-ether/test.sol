// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TipJarTest is Test {
    TipJar jar;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        jar = new TipJar();
        vm.deal(alice, 1 ether);
        vm.deal(bob, 1 ether);
    }

    function test_tip_keeps_the_ether_and_credits_the_sender() public {
        vm.prank(alice);
        jar.tip{value: 0.25 ether}("thanks!");
        assertEq(address(jar).balance, 0.25 ether, "the jar's balance after alice's tip");
        assertEq(alice.balance, 0.75 ether, "alice's balance after tipping 0.25 ether");
        assertEq(jar.tippedBy(alice), 0.25 ether, "tippedBy(alice)");
    }

    function test_tip_emits_Tipped_with_the_amount_and_the_note() public {
        vm.expectEmit();
        emit TipJar.Tipped(alice, 0.1 ether, "great article");
        vm.prank(alice);
        jar.tip{value: 0.1 ether}("great article");
    }

    function test_a_tip_of_zero_reverts() public {
        vm.expectRevert("send some ether");
        vm.prank(alice);
        jar.tip("just saying hi");
    }

    function test_plain_ether_transfers_are_received_and_credited() public {
        vm.expectEmit();
        emit TipJar.Tipped(bob, 0.5 ether, "");
        vm.prank(bob);
        (bool ok, ) = address(jar).call{value: 0.5 ether}("");
        assertTrue(ok, "a plain transfer of 0.5 ether to the jar succeeds");
        assertEq(jar.tippedBy(bob), 0.5 ether, "tippedBy(bob) after a plain transfer");
        assertEq(address(jar).balance, 0.5 ether, "the jar's balance after bob's transfer");
    }

    function test_a_call_to_a_function_the_jar_lacks_fails_and_keeps_nothing() public {
        vm.prank(bob);
        (bool ok, ) = address(jar).call{value: 0.5 ether}(abi.encodeWithSignature("withdraw()"));
        assertFalse(ok, "a call to withdraw(), which the jar does not have, succeeds");
        assertEq(bob.balance, 1 ether, "bob's balance after the failed call");
        assertEq(address(jar).balance, 0, "the jar's balance after the failed call");
    }

    function test_balance_reports_all_the_ether_in_the_jar() public {
        vm.prank(alice);
        jar.tip{value: 0.2 ether}("one");
        vm.prank(bob);
        (bool ok, ) = address(jar).call{value: 0.3 ether}("");
        assertTrue(ok, "bob's plain transfer succeeds");
        assertEq(jar.balance(), 0.5 ether, "balance() after tips of 0.2 and 0.3 ether");
    }
}
