// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Theater {
    uint256 public constant SEATS = 10;

    // who holds each seat; address(0) means the seat is free
    mapping(uint256 => address) public holderOf;

    function book(uint256 seat) public {
        require(seat < SEATS, "no such seat");
        require(holderOf[seat] == address(0), "seat taken");
        holderOf[seat] = msg.sender;
    }

    function bookMany(uint256[] calldata seats) external {
        for (uint256 i = 0; i < seats.length; i++) {
            book(seats[i]);
        }
    }

    function cancel(uint256 seat) external {
        if (holderOf[seat] != msg.sender) {
            revert("not your seat");
        }
        holderOf[seat] = address(0);
    }
}
