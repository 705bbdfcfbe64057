// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract EndorsementsTest is Test {
    Endorsements endorsements;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address carol = makeAddr("carol");

    function setUp() public {
        endorsements = new Endorsements();
    }

    function test_nobody_starts_with_endorsements() public view {
        assertEq(endorsements.endorsementsOf(bob), 0, "bob's endorsements before anyone endorsed him");
        assertFalse(endorsements.hasEndorsed(alice, bob), "hasEndorsed(alice, bob) before anything happened");
    }

    function test_endorse_records_who_endorsed_whom() public {
        vm.prank(alice);
        endorsements.endorse(bob);
        assertEq(endorsements.endorsementsOf(bob), 1, "bob's endorsements after alice endorsed him");
        assertTrue(endorsements.hasEndorsed(alice, bob), "hasEndorsed(alice, bob) after alice endorsed bob");
        assertFalse(endorsements.hasEndorsed(bob, alice), "hasEndorsed(bob, alice): bob endorsed nobody");
        assertEq(endorsements.endorsementsOf(alice), 0, "alice's endorsements: nobody endorsed her");
    }

    function test_endorsements_from_different_people_add_up() public {
        vm.prank(alice);
        endorsements.endorse(bob);
        vm.prank(carol);
        endorsements.endorse(bob);
        assertEq(endorsements.endorsementsOf(bob), 2, "bob's endorsements after alice and carol endorsed him");
    }

    function test_endorsing_the_same_person_twice_reverts() public {
        vm.startPrank(alice);
        endorsements.endorse(bob);
        vm.expectRevert(bytes("already endorsed"));
        endorsements.endorse(bob);
        vm.stopPrank();
        assertEq(endorsements.endorsementsOf(bob), 1, "bob's endorsements after alice tried to endorse him twice");
    }

    function test_endorsing_yourself_reverts() public {
        vm.prank(alice);
        vm.expectRevert(bytes("cannot endorse yourself"));
        endorsements.endorse(alice);
    }

    function test_withdrawEndorsement_takes_an_endorsement_back() public {
        vm.prank(alice);
        vm.expectRevert(bytes("not endorsed"));
        endorsements.withdrawEndorsement(bob);

        vm.prank(alice);
        endorsements.endorse(bob);
        vm.prank(carol);
        endorsements.endorse(bob);
        vm.prank(alice);
        endorsements.withdrawEndorsement(bob);
        assertEq(endorsements.endorsementsOf(bob), 1, "bob's endorsements after alice took hers back");
        assertFalse(endorsements.hasEndorsed(alice, bob), "hasEndorsed(alice, bob) after she took it back");
        assertTrue(endorsements.hasEndorsed(carol, bob), "hasEndorsed(carol, bob) after alice took hers back");
    }
}
