// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TaskListTest is Test {
    TaskList list;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        list = new TaskList();
    }

    function test_addTask_emits_TaskAdded_with_the_id_author_and_text() public {
        vm.expectEmit();
        emit TaskList.TaskAdded(0, alice, "buy milk");
        vm.prank(alice);
        list.addTask("buy milk");
    }

    function test_ids_count_up_from_zero() public {
        uint256 first = list.addTask("buy milk");
        uint256 second = list.addTask("walk the dog");
        assertEq(first, 0, "id of the first task");
        assertEq(second, 1, "id of the second task");
        assertEq(list.taskCount(), 2, "taskCount after two tasks");
    }

    function test_the_second_task_is_announced_with_id_one() public {
        list.addTask("buy milk");
        vm.expectEmit();
        emit TaskList.TaskAdded(1, bob, "walk the dog");
        vm.prank(bob);
        list.addTask("walk the dog");
    }

    function test_completeTask_marks_the_task_done() public {
        list.addTask("buy milk");
        list.addTask("walk the dog");
        list.completeTask(1);
        assertTrue(list.done(1), "done(1) after completing task 1");
        assertFalse(list.done(0), "done(0) when only task 1 was completed");
    }

    function test_completeTask_emits_TaskCompleted_naming_the_caller() public {
        vm.prank(alice);
        list.addTask("buy milk");
        vm.expectEmit();
        emit TaskList.TaskCompleted(0, bob);
        vm.prank(bob);
        list.completeTask(0);
    }
}
