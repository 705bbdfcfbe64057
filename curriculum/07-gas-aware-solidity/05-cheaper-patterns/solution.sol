// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TipJar {
    error EmptyTip();
    error NoteTooLong(uint256 length);
    error NotOwner(address caller);

    /// The history lives in the logs: wallets and indexers read it, no contract needs it.
    event Tipped(address indexed from, uint256 amount, string note);

    uint256 public constant MAX_NOTE_LENGTH = 280;
    address public immutable owner = msg.sender;
    uint256 public totalTips;
    uint256 public tipCount;

    function tip(string calldata note) external payable {
        if (msg.value == 0) revert EmptyTip();
        if (bytes(note).length > MAX_NOTE_LENGTH) revert NoteTooLong(bytes(note).length);
        totalTips += msg.value;
        unchecked {
            // Safe: one per transaction, it would take longer than the universe to overflow.
            tipCount += 1;
        }
        emit Tipped(msg.sender, msg.value, note);
    }

    function withdraw() external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        (bool ok, ) = owner.call{value: address(this).balance}("");
        require(ok, "withdrawal failed");
    }
}
