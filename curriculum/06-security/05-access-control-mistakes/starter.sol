// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A treasury meant to live behind a proxy, so it is set up by initialize() instead of a
/// constructor. Three functions are open to anyone that should not be: find and close them.
contract Treasury {
    error NotOwner(address caller);
    error AlreadyInitialized();
    error OverLimit(uint256 amount, uint256 limit);

    address public owner;
    uint256 public limit;
    bool public initialized;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    receive() external payable {}

    function initialize(address owner_, uint256 limit_) external {
        owner = owner_;
        limit = limit_;
        initialized = true;
    }

    function setLimit(uint256 newLimit) external {
        limit = newLimit;
    }

    function withdraw(address payable to, uint256 amount) external onlyOwner {
        if (amount > limit) revert OverLimit(amount, limit);
        _sendEther(to, amount);
    }

    function _sendEther(address payable to, uint256 amount) public {
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "send failed");
    }
}
