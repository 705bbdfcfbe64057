// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A club's member list. A Member takes three storage slots: shrink the types and order the
/// fields so that it takes one.
contract Club {
    error LevelTooHigh(uint256 level);

    struct Member {
        uint256 joinedAt; // a timestamp in seconds
        uint256 level;    // 0 to 65535
        address account;
        bool active;
    }

    mapping(address => Member) public members;

    function join(uint256 level) external {
        if (level > type(uint16).max) revert LevelTooHigh(level);
        members[msg.sender] = Member({
            joinedAt: block.timestamp,
            level: level,
            account: msg.sender,
            active: true
        });
    }

    function resign() external {
        members[msg.sender].active = false;
    }

    function memberOf(address who)
        external
        view
        returns (address account, uint256 joinedAt, uint256 level, bool active)
    {
        Member memory m = members[who];
        return (m.account, m.joinedAt, m.level, m.active);
    }
}
