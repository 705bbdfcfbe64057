// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Playlist {
    uint256[] private songs;

    function add(uint256 songId) external {
        // append songId at the end
    }

    function count() external view returns (uint256) {
        return songs.length;
    }

    function songAt(uint256 index) external view returns (uint256) {
        return songs[index];
    }

    function all() external view returns (uint256[] memory) {
        // the whole list
    }

    function remove(uint256 index) external {
        // refuse an index past the end, then swap the last song into place and pop
    }
}
