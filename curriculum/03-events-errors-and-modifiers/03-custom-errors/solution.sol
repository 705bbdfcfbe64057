// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Poll {
    error VotingClosed(uint256 deadline);
    error UnknownProposal(uint256 proposal, uint256 proposalCount);
    error AlreadyVoted(address voter);

    uint256 public immutable proposalCount;
    uint256 public immutable deadline;
    mapping(uint256 => uint256) public votes;
    mapping(address => bool) public hasVoted;

    constructor(uint256 proposalCount_, uint256 duration) {
        proposalCount = proposalCount_;
        deadline = block.timestamp + duration;
    }

    function vote(uint256 proposal) external {
        if (block.timestamp >= deadline) revert VotingClosed(deadline);
        if (proposal >= proposalCount) revert UnknownProposal(proposal, proposalCount);
        if (hasVoted[msg.sender]) revert AlreadyVoted(msg.sender);

        hasVoted[msg.sender] = true;
        votes[proposal] += 1;
    }
}
