// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Endorsements {
    mapping(address person => uint256 count) public endorsementsOf;
    mapping(address endorser => mapping(address endorsed => bool)) public hasEndorsed;

    function endorse(address who) external {
        require(who != msg.sender, "cannot endorse yourself");
        require(!hasEndorsed[msg.sender][who], "already endorsed");
        hasEndorsed[msg.sender][who] = true;
        endorsementsOf[who] += 1;
    }

    function withdrawEndorsement(address who) external {
        require(hasEndorsed[msg.sender][who], "not endorsed");
        hasEndorsed[msg.sender][who] = false;
        endorsementsOf[who] -= 1;
    }
}
