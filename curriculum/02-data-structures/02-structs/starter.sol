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
        // refuse an active member; otherwise store a new Member for msg.sender
    }

    function rename(string calldata newName) external {
        // only for an active member: change the name and nothing else
    }

    function quit() external {
        // only for an active member: delete the membership
    }

    function memberOf(address who) external view returns (Member memory) {
        return members[who];
    }
}
