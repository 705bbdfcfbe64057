// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A staking pool. Anyone can join, so the member list is user-controlled: cap it, and stop
/// totalStaked() from walking the whole list.
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

    function join() external {
        if (isMember[msg.sender]) revert AlreadyMember(msg.sender);
        isMember[msg.sender] = true;
        members.push(msg.sender);
    }

    function stake() external payable {
        if (!isMember[msg.sender]) revert NotMember(msg.sender);
        stakes[msg.sender] += msg.value;
    }

    function totalStaked() external view returns (uint256 total) {
        for (uint256 i = 0; i < members.length; i++) {
            total += stakes[members[i]];
        }
    }

    /// Gives every member `pointsEach` points.
    function distribute(uint256 pointsEach) external {
        if (msg.sender != owner) revert NotOwner();
        for (uint256 i = 0; i < members.length; i++) {
            points[members[i]] += pointsEach;
        }
    }

    function memberCount() external view returns (uint256) {
        return members.length;
    }
}
