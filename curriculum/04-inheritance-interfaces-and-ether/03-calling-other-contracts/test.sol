// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract RelayTest is Test {
    Counter counter;
    Relay relay;
    address alice = makeAddr("alice");

    function setUp() public {
        counter = new Counter(3);
        relay = new Relay(address(counter));
    }

    function test_the_relay_keeps_the_counter_address() public view {
        assertEq(address(relay.counter()), address(counter), "the relay's counter");
    }

    function test_forward_increments_the_counter_and_returns_the_new_count() public {
        uint256 first = relay.forward();
        uint256 second = relay.forward();
        assertEq(counter.count(), 2, "count of the counter after two forwards");
        assertEq(first, 1, "count returned by the first forward");
        assertEq(second, 2, "count returned by the second forward");
    }

    function test_the_counter_sees_the_relay_as_its_caller() public {
        vm.prank(alice);
        relay.forward();
        assertEq(relay.lastSender(), alice, "msg.sender seen by the relay");
        assertEq(counter.lastCaller(), address(relay), "msg.sender seen by the counter");

        vm.prank(alice);
        counter.increment();
        assertEq(counter.lastCaller(), alice, "msg.sender seen by the counter when alice calls it directly");
    }

    function test_forwardTimes_increments_the_counter_that_many_times() public {
        relay.forwardTimes(3);
        assertEq(counter.count(), 3, "count after forwardTimes(3)");
    }

    function test_a_revert_in_the_counter_reverts_the_whole_relay_call() public {
        vm.expectRevert("counter is full");
        relay.forwardTimes(4);
        assertEq(counter.count(), 0, "count after the forwardTimes(4) that went past the limit");
    }
}
