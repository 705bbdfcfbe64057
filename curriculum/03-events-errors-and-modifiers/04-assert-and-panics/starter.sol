// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Scoreboard {
    uint256 public constant MAX_SCORE = 100;

    uint256[] private scores;
    uint256 public total;

    function addScore(uint256 points) external {
        // refuse a score above MAX_SCORE ("score above 100"), record it, add it to total,
        // then assert that total <= MAX_SCORE * scores.length
    }

    function count() external view returns (uint256) {
        return scores.length;
    }

    function scoreAt(uint256 index) external view returns (uint256) {
        // return the score at this index
    }

    function average() external view returns (uint256) {
        // panics with 0x12 (division by zero) when there are no scores
        return total / scores.length;
    }
}
