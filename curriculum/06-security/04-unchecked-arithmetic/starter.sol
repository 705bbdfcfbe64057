// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A token ledger whose author put every sum in `unchecked` to save gas.
/// Keep `unchecked` only where a check or an invariant proves it cannot wrap.
contract Ledger {
    error InsufficientBalance(uint256 available, uint256 required);

    address public immutable owner = msg.sender;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only the owner");
        unchecked {
            totalSupply += amount;
            balanceOf[to] += amount;
        }
    }

    function transfer(address to, uint256 amount) external {
        unchecked {
            balanceOf[msg.sender] -= amount;
            balanceOf[to] += amount;
        }
    }
}
