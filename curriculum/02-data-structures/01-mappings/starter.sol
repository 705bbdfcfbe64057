// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Endorsements {
    mapping(address person => uint256 count) public endorsementsOf;
    mapping(address endorser => mapping(address endorsed => bool)) public hasEndorsed;

    function endorse(address who) external {
        // not yourself, not twice; then record it and count it
    }

    function withdrawEndorsement(address who) external {
        // only an endorsement that exists; then forget it and count one less
    }
}
