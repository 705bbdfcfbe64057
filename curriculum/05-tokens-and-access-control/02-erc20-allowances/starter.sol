// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Token {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    constructor(uint256 initialSupply) {
        totalSupply = initialSupply;
        balanceOf[msg.sender] = initialSupply;
        emit Transfer(address(0), msg.sender, initialSupply);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        // set how much spender may take from the caller, emit Approval, return true
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        // check the caller's allowance ("insufficient allowance") and from's balance
        // ("insufficient balance"), lower the allowance, move the tokens,
        // emit Transfer and return true
    }
}
