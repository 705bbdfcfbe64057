// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

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
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        owner = owner_;
        limit = limit_;
    }

    function setLimit(uint256 newLimit) external onlyOwner {
        limit = newLimit;
    }

    function withdraw(address payable to, uint256 amount) external onlyOwner {
        if (amount > limit) revert OverLimit(amount, limit);
        _sendEther(to, amount);
    }

    // internal: only this contract's own functions can reach it.
    function _sendEther(address payable to, uint256 amount) internal {
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "send failed");
    }
}
