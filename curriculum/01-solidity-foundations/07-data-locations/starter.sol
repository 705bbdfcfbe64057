// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Game {
    struct Player {
        uint256 score;
        uint256 level;
    }

    Player[] private players;

    function join() external returns (uint256 index) {
        players.push(Player({score: 0, level: 1}));
        return players.length - 1;
    }

    function playerAt(uint256 index) external view returns (Player memory) {
        return players[index];
    }

    // Bug: the points never stick.
    function addPoints(uint256 index, uint256 points) external {
        Player memory player = players[index];
        player.score += points;
    }

    function levelUp(uint256 index) external {
        // trade 100 points for one level, or revert with "not enough points"
    }
}
