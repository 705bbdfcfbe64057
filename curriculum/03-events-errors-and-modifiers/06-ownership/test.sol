// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract NoticeboardTest is Test {
    Noticeboard board;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        board = new Noticeboard(); // deployed by the test contract
    }

    function test_the_deployer_is_the_first_owner_and_the_event_says_so() public {
        assertEq(board.owner(), address(this), "owner of a new noticeboard");
        vm.expectEmit();
        emit Noticeboard.OwnershipTransferred(address(0), address(this));
        new Noticeboard();
    }

    function test_the_owner_can_set_the_notice() public {
        board.setNotice("Meeting at noon");
        assertEq(board.notice(), "Meeting at noon", "notice set by the owner");
    }

    function test_strangers_can_neither_set_the_notice_nor_transfer_ownership() public {
        vm.expectRevert(abi.encodeWithSelector(Noticeboard.NotOwner.selector, alice));
        vm.prank(alice);
        board.setNotice("Free pizza");

        vm.expectRevert(abi.encodeWithSelector(Noticeboard.NotOwner.selector, alice));
        vm.prank(alice);
        board.transferOwnership(alice);

        assertEq(board.owner(), address(this), "owner after alice's attempts");
        assertEq(board.notice(), "", "notice after alice's attempts");
    }

    function test_transferOwnership_hands_control_to_the_new_owner() public {
        board.transferOwnership(alice);
        assertEq(board.owner(), alice, "owner after the transfer to alice");

        vm.prank(alice);
        board.setNotice("New management");
        assertEq(board.notice(), "New management", "notice set by the new owner");

        vm.expectRevert(abi.encodeWithSelector(Noticeboard.NotOwner.selector, address(this)));
        board.setNotice("I'm still in charge");
    }

    function test_transferOwnership_emits_OwnershipTransferred() public {
        board.transferOwnership(alice);
        vm.expectEmit();
        emit Noticeboard.OwnershipTransferred(alice, bob);
        vm.prank(alice);
        board.transferOwnership(bob);
    }

    function test_transferring_to_the_zero_address_reverts_with_ZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(Noticeboard.ZeroAddress.selector));
        board.transferOwnership(address(0));
        assertEq(board.owner(), address(this), "owner after the refused transfer");
    }
}
