// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Theater {
    uint256 public constant SEATS = 10;

    // who holds each seat; address(0) means the seat is free
    mapping(uint256 => address) public holderOf;

    function book(uint256 seat) public {
        // refuse a seat that does not exist ("no such seat") or is taken ("seat taken"),
        // then give it to the caller
    }

    function bookMany(uint256[] calldata seats) external {
        // book every seat in the list
    }

    function cancel(uint256 seat) external {
        // refuse unless the caller holds the seat ("not your seat"), then free it
    }
}
