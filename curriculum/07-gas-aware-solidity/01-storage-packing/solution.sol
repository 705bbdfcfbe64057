// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Club {
    error LevelTooHigh(uint256 level);

    // 20 + 8 + 2 + 1 = 31 bytes: one slot.
    struct Member {
        address account;
        uint64 joinedAt; // seconds: enough for the next 500 billion years
        uint16 level;    // 0 to 65535
        bool active;
    }

    mapping(address => Member) public members;

    function join(uint256 level) external {
        // The check makes the uint16(level) below safe: explicit conversions never revert.
        if (level > type(uint16).max) revert LevelTooHigh(level);
        members[msg.sender] = Member({
            account: msg.sender,
            joinedAt: uint64(block.timestamp),
            level: uint16(level),
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
