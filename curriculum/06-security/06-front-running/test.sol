// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract RiddleTest is Test {
    Riddle riddle;
    address alice = makeAddr("alice");
    address mallory = makeAddr("mallory");
    string constant ANSWER = "echo";
    bytes32 constant ALICE_SALT = keccak256("alice's secret salt");
    bytes32 constant MALLORY_SALT = keccak256("mallory's salt");

    function setUp() public {
        // "I speak without a mouth and hear without ears. What am I?"
        riddle = new Riddle{value: 1 ether}(keccak256(bytes(ANSWER)));
    }

    function aliceCommits(string memory answer) internal {
        bytes32 hash = riddle.commitmentFor(alice, answer, ALICE_SALT);
        vm.prank(alice);
        riddle.commit(hash);
    }

    function test_a_correct_reveal_after_the_delay_wins_the_prize() public {
        aliceCommits(ANSWER);
        vm.warp(block.timestamp + riddle.REVEAL_DELAY());
        vm.prank(alice);
        riddle.reveal(ANSWER, ALICE_SALT);
        assertEq(riddle.winner(), alice, "winner after alice revealed the right answer");
        assertEq(alice.balance, 1 ether, "alice's ether after winning the prize");
    }

    function test_a_wrong_answer_is_refused() public {
        aliceCommits("a parrot");
        vm.warp(block.timestamp + riddle.REVEAL_DELAY());
        vm.prank(alice);
        vm.expectRevert(Riddle.WrongAnswer.selector);
        riddle.reveal("a parrot", ALICE_SALT);
    }

    function test_a_reveal_that_does_not_match_the_commitment_is_refused() public {
        aliceCommits(ANSWER);
        vm.warp(block.timestamp + riddle.REVEAL_DELAY());
        vm.prank(alice);
        vm.expectRevert(Riddle.RevealMismatch.selector);
        riddle.reveal(ANSWER, MALLORY_SALT);
    }

    function test_revealing_before_the_delay_reverts_with_TooEarly() public {
        aliceCommits(ANSWER);
        vm.warp(block.timestamp + riddle.REVEAL_DELAY() - 1);
        vm.prank(alice);
        vm.expectRevert(Riddle.TooEarly.selector);
        riddle.reveal(ANSWER, ALICE_SALT);
    }

    function test_a_copied_commitment_does_not_let_the_copier_win() public {
        aliceCommits(ANSWER);
        // Mallory saw alice's commit in the mempool and commits the very same hash.
        (bytes32 alicesHash, ) = riddle.commitments(alice);
        vm.prank(mallory);
        riddle.commit(alicesHash);

        // Later, she sees alice's reveal and sends the same answer and salt first.
        vm.warp(block.timestamp + riddle.REVEAL_DELAY());
        vm.prank(mallory);
        try riddle.reveal(ANSWER, ALICE_SALT) {} catch {}
        assertEq(riddle.winner(), address(0), "winner after mallory replayed alice's commitment and reveal");
        assertEq(mallory.balance, 0, "mallory's ether after replaying alice's reveal");
    }

    function test_a_front_runner_who_commits_after_seeing_the_answer_is_too_late() public {
        aliceCommits(ANSWER);
        vm.warp(block.timestamp + riddle.REVEAL_DELAY());

        // Alice's reveal is pending; mallory reads the answer from it and squeezes a commit
        // and a reveal of her own in front of it.
        bytes32 hash = riddle.commitmentFor(mallory, ANSWER, MALLORY_SALT);
        vm.startPrank(mallory);
        riddle.commit(hash);
        try riddle.reveal(ANSWER, MALLORY_SALT) {} catch {}
        vm.stopPrank();
        assertEq(riddle.winner(), address(0), "winner after mallory's commit and reveal in the same block");

        vm.prank(alice);
        riddle.reveal(ANSWER, ALICE_SALT);
        assertEq(riddle.winner(), alice, "winner once alice's reveal is mined");
    }
}
