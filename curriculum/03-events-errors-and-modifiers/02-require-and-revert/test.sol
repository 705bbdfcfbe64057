// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TheaterTest is Test {
    Theater theater;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        theater = new Theater();
    }

    function seatList(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory seats) {
        seats = new uint256[](3);
        seats[0] = a;
        seats[1] = b;
        seats[2] = c;
    }

    function test_book_gives_the_seat_to_the_caller() public {
        vm.prank(alice);
        theater.book(3);
        assertEq(theater.holderOf(3), alice, "holder of seat 3 after alice booked it");
        assertEq(theater.holderOf(4), address(0), "holder of seat 4, which nobody booked");
    }

    function test_booking_a_seat_that_does_not_exist_reverts() public {
        vm.expectRevert("no such seat");
        theater.book(10);
    }

    function test_booking_a_taken_seat_reverts_and_keeps_the_first_holder() public {
        vm.prank(alice);
        theater.book(3);
        vm.expectRevert("seat taken");
        vm.prank(bob);
        theater.book(3);
        assertEq(theater.holderOf(3), alice, "holder of seat 3 after bob tried to take it");
    }

    function test_bookMany_books_every_seat_in_the_list() public {
        vm.prank(alice);
        theater.bookMany(seatList(1, 2, 7));
        assertEq(theater.holderOf(1), alice, "holder of seat 1");
        assertEq(theater.holderOf(2), alice, "holder of seat 2");
        assertEq(theater.holderOf(7), alice, "holder of seat 7");
    }

    function test_bookMany_with_one_taken_seat_books_none_of_them() public {
        vm.prank(bob);
        theater.book(5);
        vm.expectRevert("seat taken");
        vm.prank(alice);
        theater.bookMany(seatList(1, 2, 5));
        assertEq(theater.holderOf(1), address(0), "holder of seat 1 after the failed bookMany");
        assertEq(theater.holderOf(2), address(0), "holder of seat 2 after the failed bookMany");
        assertEq(theater.holderOf(5), bob, "holder of seat 5 after the failed bookMany");
    }

    function test_only_the_holder_can_cancel_and_cancelling_frees_the_seat() public {
        vm.prank(alice);
        theater.book(3);
        vm.expectRevert("not your seat");
        vm.prank(bob);
        theater.cancel(3);
        assertEq(theater.holderOf(3), alice, "holder of seat 3 after bob tried to cancel it");

        vm.prank(alice);
        theater.cancel(3);
        assertEq(theater.holderOf(3), address(0), "holder of seat 3 after alice cancelled");
        vm.prank(bob);
        theater.book(3);
        assertEq(theater.holderOf(3), bob, "holder of seat 3 after bob booked the freed seat");
    }
}
