// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract CounterTest is Test {
    Counter counter;

    function setUp() public {
        counter = new Counter();
    }

    function test_a_new_counter_starts_at_zero() public view {
        assertEq(counter.count(), 0, "count of a new counter");
    }

    function test_increment_adds_one_to_count() public {
        counter.increment();
        assertEq(counter.count(), 1, "count after one increment");
        counter.increment();
        assertEq(counter.count(), 2, "count after two increments");
    }

    function test_decrement_takes_one_away() public {
        counter.increment();
        counter.increment();
        counter.decrement();
        assertEq(counter.count(), 1, "count after two increments and a decrement");
    }

    function test_decrement_at_zero_reverts_with_an_underflow() public {
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        counter.decrement();
    }

    function test_doubled_returns_twice_the_count() public {
        counter.increment();
        counter.increment();
        counter.increment();
        assertEq(counter.doubled(), 6, "doubled() after three increments");
        assertEq(counter.count(), 3, "count after calling doubled()");
    }
}
