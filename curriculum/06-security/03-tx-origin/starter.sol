// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A wallet that only its owner may spend from. It checks the owner with tx.origin,
/// so any contract the owner calls can spend it: authenticate with msg.sender instead.
contract Wallet {
    error NotOwner(address caller);

    address public owner;

    constructor() {
        owner = msg.sender;
    }

    receive() external payable {}

    function send(address payable to, uint256 amount) external {
        if (tx.origin != owner) revert NotOwner(tx.origin);
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "send failed");
    }
}
