// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Wallet {
    error NotOwner(address caller);

    address public owner;

    constructor() {
        owner = msg.sender;
    }

    receive() external payable {}

    function send(address payable to, uint256 amount) external {
        // msg.sender is whoever called this function directly: the owner, or a contract
        // the owner does not control. tx.origin would be the owner in both cases.
        if (msg.sender != owner) revert NotOwner(msg.sender);
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "send failed");
    }
}
