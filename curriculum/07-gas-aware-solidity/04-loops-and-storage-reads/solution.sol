// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract StakingPool {
    error AlreadyMember(address account);
    error NotMember(address account);
    error PoolFull();
    error NotOwner();

    uint256 public constant MAX_MEMBERS = 20;
    address public immutable owner = msg.sender;

    address[] public members;
    mapping(address => bool) public isMember;
    mapping(address => uint256) public stakes;
    mapping(address => uint256) public points;
    // Kept up to date on every stake, so that reading it never needs a loop.
    uint256 public totalStaked;

    function join() external {
        if (isMember[msg.sender]) revert AlreadyMember(msg.sender);
        // The list is user-controlled: without a cap, distribute() could be made too
        // expensive to ever run.
        if (members.length >= MAX_MEMBERS) revert PoolFull();
        isMember[msg.sender] = true;
        members.push(msg.sender);
    }

    function stake() external payable {
        if (!isMember[msg.sender]) revert NotMember(msg.sender);
        stakes[msg.sender] += msg.value;
        totalStaked += msg.value;
    }

    function distribute(uint256 pointsEach) external {
        if (msg.sender != owner) revert NotOwner();
        uint256 count = members.length; // one storage read instead of one per iteration
        for (uint256 i = 0; i < count; i++) {
            points[members[i]] += pointsEach;
        }
    }

    function memberCount() external view returns (uint256) {
        return members.length;
    }
}
