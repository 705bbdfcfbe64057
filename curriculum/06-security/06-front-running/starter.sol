// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The first player to reveal the answer to the riddle wins the prize. Players commit first and
/// reveal later, but two mistakes still let someone watching the mempool steal the win.
contract Riddle {
    error NoCommitment();
    error TooEarly();
    error RevealMismatch();
    error WrongAnswer();
    error AlreadySolved();

    struct Commitment {
        bytes32 hash;
        uint256 committedAt;
    }

    uint256 public constant REVEAL_DELAY = 1 minutes;
    bytes32 public immutable answerHash;
    address public winner;
    mapping(address => Commitment) public commitments;

    constructor(bytes32 answerHash_) payable {
        answerHash = answerHash_;
    }

    /// What `player` commits to when they mean to reveal `answer` with `salt`.
    function commitmentFor(address player, string calldata answer, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(answer, salt));
    }

    function commit(bytes32 hash) external {
        if (winner != address(0)) revert AlreadySolved();
        commitments[msg.sender] = Commitment(hash, block.timestamp);
    }

    function reveal(string calldata answer, bytes32 salt) external {
        if (winner != address(0)) revert AlreadySolved();
        Commitment memory c = commitments[msg.sender];
        if (c.hash == bytes32(0)) revert NoCommitment();
        if (commitmentFor(msg.sender, answer, salt) != c.hash) revert RevealMismatch();
        if (keccak256(bytes(answer)) != answerHash) revert WrongAnswer();

        winner = msg.sender;
        (bool ok, ) = msg.sender.call{value: address(this).balance}("");
        require(ok, "payout failed");
    }
}
