// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Token {
    event Transfer(address indexed from, address indexed to, uint256 value);

    error NotOwner(address caller);

    address public immutable owner;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    constructor() {
        owner = msg.sender;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function mint(address to, uint256 amount) external {
        // only the owner: revert NotOwner(msg.sender) for anyone else.
        // Add to to's balance and to totalSupply, emit Transfer from address(0).
    }

    function burn(uint256 amount) external {
        // "insufficient balance" if the caller holds less than amount.
        // Take it from the caller's balance and from totalSupply, emit Transfer to address(0).
    }
}
