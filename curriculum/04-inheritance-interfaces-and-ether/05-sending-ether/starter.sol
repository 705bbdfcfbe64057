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
        // only the buyer ("only the buyer"), only once ("already released");
        // mark the escrow released, then send address(this).balance to the seller with call
        // and revert with "payment failed" if it did not work
    }
}
