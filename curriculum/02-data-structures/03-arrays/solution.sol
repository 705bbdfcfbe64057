// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Playlist {
    uint256[] private songs;

    function add(uint256 songId) external {
        songs.push(songId);
    }

    function count() external view returns (uint256) {
        return songs.length;
    }

    function songAt(uint256 index) external view returns (uint256) {
        return songs[index];
    }

    function all() external view returns (uint256[] memory) {
        return songs;
    }

    function remove(uint256 index) external {
        require(index < songs.length, "index out of range");
        songs[index] = songs[songs.length - 1];
        songs.pop();
    }
}
