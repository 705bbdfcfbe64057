// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Token {
    event Transfer(address indexed from, address indexed to, uint256 value);

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    constructor(uint256 initialSupply) {
        // give the whole supply to the deployer, set totalSupply,
        // and emit a Transfer from the zero address
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        // revert with "insufficient balance" if the caller holds less than amount,
        // move the tokens, emit Transfer and return true
    }
}
