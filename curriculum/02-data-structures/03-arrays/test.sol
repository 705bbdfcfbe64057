// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract PlaylistTest is Test {
    Playlist playlist;

    function setUp() public {
        playlist = new Playlist();
    }

    function addFour() internal {
        playlist.add(10);
        playlist.add(20);
        playlist.add(30);
        playlist.add(40);
    }

    function test_add_appends_songs_in_order() public {
        playlist.add(10);
        playlist.add(20);
        playlist.add(30);
        assertEq(playlist.count(), 3, "count() after adding three songs");
        assertEq(playlist.songAt(0), 10, "songAt(0)");
        assertEq(playlist.songAt(1), 20, "songAt(1)");
        assertEq(playlist.songAt(2), 30, "songAt(2)");
    }

    function test_songAt_past_the_end_reverts() public {
        playlist.add(10);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x32));
        playlist.songAt(1);
    }

    function test_all_returns_every_song() public {
        addFour();
        uint256[] memory songs = playlist.all();
        assertEq(songs.length, 4, "length of all() after adding four songs");
        assertEq(songs[0], 10, "all()[0]");
        assertEq(songs[1], 20, "all()[1]");
        assertEq(songs[2], 30, "all()[2]");
        assertEq(songs[3], 40, "all()[3]");
    }

    function test_remove_moves_the_last_song_into_the_gap() public {
        addFour();
        playlist.remove(1);
        assertEq(playlist.count(), 3, "count() after removing one of four songs");
        assertEq(playlist.songAt(0), 10, "songAt(0) after remove(1)");
        assertEq(playlist.songAt(1), 40, "songAt(1) after remove(1): the last song fills the gap");
        assertEq(playlist.songAt(2), 30, "songAt(2) after remove(1)");
    }

    function test_removing_the_last_song_just_pops_it() public {
        addFour();
        playlist.remove(3);
        assertEq(playlist.count(), 3, "count() after remove(3)");
        assertEq(playlist.songAt(2), 30, "songAt(2) after remove(3)");
        playlist.remove(0);
        playlist.remove(0);
        playlist.remove(0);
        assertEq(playlist.count(), 0, "count() after removing every song");
    }

    function test_remove_past_the_end_reverts() public {
        vm.expectRevert(bytes("index out of range"));
        playlist.remove(0);
        playlist.add(10);
        vm.expectRevert(bytes("index out of range"));
        playlist.remove(1);
        assertEq(playlist.count(), 1, "count() after a failed remove(1)");
    }
}
