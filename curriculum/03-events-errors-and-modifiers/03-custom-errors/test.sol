// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract PollTest is Test {
    Poll poll;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address carol = makeAddr("carol");

    function setUp() public {
        poll = new Poll(3, 1 days);
    }

    function test_votes_are_counted_per_proposal() public {
        vm.prank(alice);
        poll.vote(2);
        vm.prank(bob);
        poll.vote(2);
        vm.prank(carol);
        poll.vote(0);
        assertEq(poll.votes(2), 2, "votes for proposal 2");
        assertEq(poll.votes(0), 1, "votes for proposal 0");
        assertEq(poll.votes(1), 0, "votes for proposal 1");
        assertTrue(poll.hasVoted(alice), "hasVoted(alice) after she voted");
    }

    function test_voting_for_an_unknown_proposal_reverts_with_UnknownProposal() public {
        vm.expectRevert(abi.encodeWithSelector(Poll.UnknownProposal.selector, 3, 3));
        vm.prank(alice);
        poll.vote(3);
        assertFalse(poll.hasVoted(alice), "hasVoted(alice) after her vote was refused");
    }

    function test_voting_twice_reverts_with_AlreadyVoted_naming_the_voter() public {
        vm.prank(alice);
        poll.vote(1);
        vm.expectRevert(abi.encodeWithSelector(Poll.AlreadyVoted.selector, alice));
        vm.prank(alice);
        poll.vote(2);
        assertEq(poll.votes(1), 1, "votes for proposal 1 after alice tried to vote again");
        assertEq(poll.votes(2), 0, "votes for proposal 2 after alice tried to vote again");
    }

    function test_voting_at_the_deadline_reverts_with_VotingClosed() public {
        uint256 deadline = poll.deadline();
        assertEq(deadline, block.timestamp + 1 days, "deadline of a poll that lasts one day");
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(Poll.VotingClosed.selector, deadline));
        vm.prank(alice);
        poll.vote(0);
    }

    function test_a_vote_one_second_before_the_deadline_still_counts() public {
        vm.warp(poll.deadline() - 1);
        vm.prank(alice);
        poll.vote(0);
        assertEq(poll.votes(0), 1, "votes for proposal 0 cast a second before the deadline");
    }
}
