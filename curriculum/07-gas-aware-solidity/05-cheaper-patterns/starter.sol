// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A tip jar. It keeps every tip in a storage array that no function ever reads, and reverts
/// with strings. Emit Tipped instead of storing the history, and use the custom errors.
contract TipJar {
    error EmptyTip();
    error NoteTooLong(uint256 length);
    error NotOwner(address caller);

    event Tipped(address indexed from, uint256 amount, string note);

    struct Tip {
        address from;
        uint256 amount;
        string note;
        uint256 time;
    }

    uint256 public constant MAX_NOTE_LENGTH = 280;
    address public immutable owner = msg.sender;
    uint256 public totalTips;
    uint256 public tipCount;
    Tip[] public history;

    function tip(string calldata note) external payable {
        require(msg.value > 0, "a tip must be more than zero");
        require(bytes(note).length <= MAX_NOTE_LENGTH, "the note is longer than 280 bytes");
        history.push(Tip(msg.sender, msg.value, note, block.timestamp));
        totalTips += msg.value;
        tipCount += 1;
    }

    function withdraw() external {
        require(msg.sender == owner, "only the owner can withdraw");
        (bool ok, ) = owner.call{value: address(this).balance}("");
        require(ok, "withdrawal failed");
    }
}
