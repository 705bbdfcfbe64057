// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Escrow {
    address public immutable buyer;
    address public immutable seller;
    bool public released;

    constructor(address seller_) payable {
        require(msg.value > 0, "nothing to hold");
        buyer = msg.sender;
        seller = seller_;
    }

    function release() external {
        require(msg.sender == buyer, "only the buyer");
        require(!released, "already released");
        released = true;
        (bool ok, ) = seller.call{value: address(this).balance}("");
        require(ok, "payment failed");
    }
}
