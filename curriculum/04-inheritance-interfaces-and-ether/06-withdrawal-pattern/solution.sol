// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Splitter {
    error NothingToWithdraw();
    error PaymentFailed();

    event Credited(address indexed payee, uint256 amount);
    event Withdrawn(address indexed payee, uint256 amount);

    mapping(address => uint256) public owed;

    function split(address a, address b) external payable {
        uint256 half = msg.value / 2;
        uint256 rest = msg.value - half;
        owed[a] += half;
        owed[b] += rest;
        emit Credited(a, half);
        emit Credited(b, rest);
    }

    function withdraw() external {
        uint256 amount = owed[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        owed[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        if (!ok) revert PaymentFailed();
        emit Withdrawn(msg.sender, amount);
    }
}
