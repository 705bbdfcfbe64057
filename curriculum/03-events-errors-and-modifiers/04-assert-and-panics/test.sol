// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract ScoreboardTest is Test {
    Scoreboard board;

    function setUp() public {
        board = new Scoreboard();
    }

    function test_addScore_records_the_score_and_adds_it_to_the_total() public {
        board.addScore(70);
        board.addScore(80);
        assertEq(board.count(), 2, "count after two scores");
        assertEq(board.total(), 150, "total of 70 and 80");
    }

    function test_a_score_above_100_reverts_with_a_reason() public {
        board.addScore(100);
        vm.expectRevert("score above 100");
        board.addScore(101);
        assertEq(board.count(), 1, "count after the refused score");
    }

    function test_scoreAt_returns_each_score_in_order() public {
        board.addScore(70);
        board.addScore(95);
        assertEq(board.scoreAt(0), 70, "scoreAt(0)");
        assertEq(board.scoreAt(1), 95, "scoreAt(1)");
    }

    function test_scoreAt_past_the_end_panics_with_an_index_out_of_bounds() public {
        board.addScore(70);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x32));
        board.scoreAt(1);
    }

    function test_average_is_the_total_divided_by_the_count_rounded_down() public {
        board.addScore(70);
        board.addScore(80);
        board.addScore(95);
        assertEq(board.average(), 81, "average of 70, 80 and 95 (245 / 3)");
    }

    function test_average_with_no_scores_reverts_with_a_reason_not_a_panic() public {
        vm.expectRevert("no scores yet");
        board.average();
    }
}
