"""Solidity sources the compiler tests share."""

COUNTER = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public count;
    event Incremented(address indexed by, uint256 count);

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }
}
"""

MISSING_SEMICOLON = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Broken {
    uint256 public count
    function f() external {}
}
"""

# An exercise for the test runner: the counter's tests, in the curriculum's Foundry style.
COUNTER_TESTS = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract CounterTest is Test {
    Counter counter;
    address alice = makeAddr("alice");

    function setUp() public {
        counter = new Counter();
    }

    function test_a_new_counter_starts_at_zero() public view {
        assertEq(counter.count(), 0, "count of a new counter");
    }

    function test_increment_adds_one_to_count() public {
        counter.increment();
        assertEq(counter.count(), 1, "count after one increment");
    }

    function test_increment_announces_who_counted() public {
        vm.expectEmit();
        emit Counter.Incremented(alice, 1);
        vm.prank(alice);
        counter.increment();
    }
}
"""

COUNTER_THAT_FORGETS = COUNTER.replace("        count += 1;\n", "")
