// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Ledger {
    error InsufficientBalance(uint256 available, uint256 required);

    address public immutable owner = msg.sender;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only the owner");
        // Checked: this is the one sum that can really overflow.
        totalSupply += amount;
        unchecked {
            // Safe: no balance is larger than totalSupply, which just fitted.
            balanceOf[to] += amount;
        }
    }

    function transfer(address to, uint256 amount) external {
        uint256 available = balanceOf[msg.sender];
        if (available < amount) revert InsufficientBalance(available, amount);
        unchecked {
            // Safe: the check above proves available >= amount.
            balanceOf[msg.sender] = available - amount;
            // Safe: balances add up to totalSupply, so any one of them fits.
            balanceOf[to] += amount;
        }
    }
}
