// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract ClubTest is Test {
    Club club;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        club = new Club();
    }

    function test_join_stores_the_name_and_the_time() public {
        vm.warp(1_700_000_500);
        vm.prank(alice);
        club.join("Alice");
        Club.Member memory member = club.memberOf(alice);
        assertEq(member.name, "Alice", "name after alice joined as Alice");
        assertEq(member.joinedAt, 1_700_000_500, "joinedAt: the block's timestamp when alice joined");
        assertTrue(member.active, "active after alice joined");
    }

    function test_someone_who_never_joined_is_an_empty_member() public {
        vm.prank(alice);
        club.join("Alice");
        Club.Member memory stranger = club.memberOf(bob);
        assertEq(stranger.name, "", "name of bob, who never joined");
        assertEq(stranger.joinedAt, 0, "joinedAt of bob, who never joined");
        assertFalse(stranger.active, "active of bob, who never joined");
    }

    function test_joining_twice_reverts() public {
        vm.startPrank(alice);
        club.join("Alice");
        vm.expectRevert(bytes("already a member"));
        club.join("Alice again");
        vm.stopPrank();
        assertEq(club.memberOf(alice).name, "Alice", "name after alice tried to join a second time");
    }

    function test_rename_changes_only_the_name() public {
        vm.warp(1_700_000_500);
        vm.prank(alice);
        club.join("Alice");
        vm.warp(1_800_000_000);
        vm.prank(alice);
        club.rename("Alice Liddell");
        Club.Member memory member = club.memberOf(alice);
        assertEq(member.name, "Alice Liddell", "name after rename");
        assertEq(member.joinedAt, 1_700_000_500, "joinedAt after rename: still the time she joined");
        assertTrue(member.active, "active after rename");
    }

    function test_only_members_can_rename_or_quit() public {
        vm.prank(bob);
        vm.expectRevert(bytes("not a member"));
        club.rename("Bob");
        vm.prank(bob);
        vm.expectRevert(bytes("not a member"));
        club.quit();
    }

    function test_quit_deletes_the_membership() public {
        vm.startPrank(alice);
        club.join("Alice");
        club.quit();
        Club.Member memory member = club.memberOf(alice);
        assertEq(member.name, "", "name after alice quit");
        assertEq(member.joinedAt, 0, "joinedAt after alice quit");
        assertFalse(member.active, "active after alice quit");

        club.join("Alice returns");
        vm.stopPrank();
        assertEq(club.memberOf(alice).name, "Alice returns", "name after alice joined again");
    }
}
