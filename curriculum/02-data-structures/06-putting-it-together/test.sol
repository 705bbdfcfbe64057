// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TodoListTest is Test {
    TodoList todo;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        todo = new TodoList();
    }

    function test_add_stores_tasks_in_order_and_returns_their_ids() public {
        vm.startPrank(alice);
        assertEq(todo.add("Buy milk"), 0, "id returned by alice's first add");
        assertEq(todo.add("Write tests"), 1, "id returned by alice's second add");
        vm.stopPrank();
        assertEq(todo.count(alice), 2, "count(alice) after two adds");
        TodoList.Task memory second = todo.taskOf(alice, 1);
        assertEq(second.text, "Write tests", "text of alice's task 1");
        assertFalse(second.done, "done of a task just added");
        assertEq(todo.pendingCount(alice), 2, "pendingCount(alice) after two adds");
    }

    function test_an_empty_task_is_refused() public {
        vm.prank(alice);
        vm.expectRevert(bytes("empty task"));
        todo.add("");
        assertEq(todo.count(alice), 0, "count(alice) after adding an empty task was refused");
    }

    function test_everyone_has_their_own_list() public {
        vm.prank(alice);
        todo.add("Alice's task");
        vm.startPrank(bob);
        todo.add("Bob's first task");
        todo.add("Bob's second task");
        vm.stopPrank();
        assertEq(todo.count(alice), 1, "count(alice)");
        assertEq(todo.count(bob), 2, "count(bob)");
        assertEq(todo.taskOf(alice, 0).text, "Alice's task", "text of alice's task 0");
        assertEq(todo.taskOf(bob, 0).text, "Bob's first task", "text of bob's task 0");

        vm.expectRevert(bytes("no such task"));
        todo.taskOf(alice, 1);
        vm.prank(alice);
        vm.expectRevert(bytes("no such task"));
        todo.toggle(1);
    }

    function test_toggle_marks_a_task_done_and_back() public {
        vm.startPrank(alice);
        todo.add("Buy milk");
        todo.toggle(0);
        assertTrue(todo.taskOf(alice, 0).done, "done after one toggle");
        assertEq(todo.pendingCount(alice), 0, "pendingCount(alice) after the only task was done");
        todo.toggle(0);
        assertFalse(todo.taskOf(alice, 0).done, "done after two toggles");
        assertEq(todo.pendingCount(alice), 1, "pendingCount(alice) after the task was undone");
        vm.stopPrank();
    }

    function test_remove_swaps_the_last_task_into_the_gap() public {
        vm.startPrank(alice);
        todo.add("A");
        todo.add("B");
        todo.add("C");
        todo.remove(0);
        assertEq(todo.count(alice), 2, "count(alice) after removing one of three tasks");
        assertEq(todo.taskOf(alice, 0).text, "C", "text of task 0 after remove(0): the last task moved there");
        assertEq(todo.taskOf(alice, 1).text, "B", "text of task 1 after remove(0)");
        vm.expectRevert(bytes("no such task"));
        todo.remove(2);
        vm.stopPrank();
    }

    function test_pendingCount_follows_every_change() public {
        vm.startPrank(alice);
        todo.add("A");
        todo.add("B");
        todo.add("C");
        todo.toggle(1);
        assertEq(todo.pendingCount(alice), 2, "pendingCount after 3 adds and 1 task done");
        todo.remove(1);
        assertEq(todo.pendingCount(alice), 2, "pendingCount after removing the done task");
        todo.remove(0);
        assertEq(todo.pendingCount(alice), 1, "pendingCount after removing a pending task");
        vm.stopPrank();
        assertEq(todo.pendingCount(bob), 0, "pendingCount(bob), who has no tasks");
    }
}
