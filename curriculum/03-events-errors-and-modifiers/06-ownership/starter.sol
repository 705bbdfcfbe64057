// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Noticeboard {
    error NotOwner(address caller);
    error ZeroAddress();

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    address public owner;
    string public notice;

    constructor() {
        // the deployer becomes the owner; emit OwnershipTransferred from address(0)
    }

    modifier onlyOwner() {
        // revert with NotOwner(caller) unless the caller is the owner
        _;
    }

    function setNotice(string calldata text) external onlyOwner {
        notice = text;
    }

    function transferOwnership(address newOwner) external {
        // owner only; refuse address(0) with ZeroAddress(); change the owner and emit the event
    }
}
