// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract GameTest is Test {
    Game game;

    function setUp() public {
        game = new Game();
        game.join();
        game.join();
    }

    function test_players_join_with_no_points_at_level_one() public view {
        Game.Player memory second = game.playerAt(1);
        assertEq(second.score, 0, "score of a player who just joined");
        assertEq(second.level, 1, "level of a player who just joined");
    }

    function test_addPoints_changes_the_stored_score() public {
        game.addPoints(0, 30);
        assertEq(game.playerAt(0).score, 30, "score of player 0 after addPoints(0, 30)");
        game.addPoints(0, 12);
        assertEq(game.playerAt(0).score, 42, "score of player 0 after 30 and then 12 points");
    }

    function test_addPoints_leaves_the_other_players_alone() public {
        game.addPoints(1, 50);
        assertEq(game.playerAt(0).score, 0, "score of player 0 after player 1 got 50 points");
        assertEq(game.playerAt(1).score, 50, "score of player 1 after addPoints(1, 50)");
    }

    function test_levelUp_trades_100_points_for_a_level() public {
        game.addPoints(0, 250);
        game.levelUp(0);
        Game.Player memory player = game.playerAt(0);
        assertEq(player.score, 150, "score after 250 points and one levelUp");
        assertEq(player.level, 2, "level after one levelUp");
        game.levelUp(0);
        assertEq(game.playerAt(0).level, 3, "level after two levelUps");
        assertEq(game.playerAt(0).score, 50, "score after 250 points and two levelUps");
    }

    function test_levelUp_with_fewer_than_100_points_reverts() public {
        game.addPoints(0, 99);
        vm.expectRevert(bytes("not enough points"));
        game.levelUp(0);
    }
}
