// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Scoreboard {
    uint256 public constant MAX_SCORE = 100;

    uint256[] private scores;
    uint256 public total;

    function addScore(uint256 points) external {
        require(points <= MAX_SCORE, "score above 100");
        scores.push(points);
        total += points;
        assert(total <= MAX_SCORE * scores.length);
    }

    function count() external view returns (uint256) {
        return scores.length;
    }

    function scoreAt(uint256 index) external view returns (uint256) {
        return scores[index];
    }

    function average() external view returns (uint256) {
        require(scores.length > 0, "no scores yet");
        return total / scores.length;
    }
}
