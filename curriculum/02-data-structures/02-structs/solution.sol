// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Club {
    struct Member {
        string name;
        uint256 joinedAt;
        bool active;
    }

    mapping(address => Member) private members;

    function join(string calldata name) external {
        require(!members[msg.sender].active, "already a member");
        members[msg.sender] = Member({name: name, joinedAt: block.timestamp, active: true});
    }

    function rename(string calldata newName) external {
        Member storage member = members[msg.sender];
        require(member.active, "not a member");
        member.name = newName;
    }

    function quit() external {
        require(members[msg.sender].active, "not a member");
        delete members[msg.sender];
    }

    function memberOf(address who) external view returns (Member memory) {
        return members[who];
    }
}
