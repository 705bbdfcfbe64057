// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract CappedPausableTest is Test {
    CappedPausableToken token;
    bytes32 minterRole;
    bytes32 pauserRole;
    address minter = makeAddr("minter");
    address guardian = makeAddr("guardian");
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        token = new CappedPausableToken(1_000);
        minterRole = token.MINTER_ROLE();
        pauserRole = token.PAUSER_ROLE();
        token.grantRole(minterRole, minter);
        token.grantRole(pauserRole, guardian);
    }

    function test_minters_can_mint_up_to_the_cap_exactly() public {
        assertEq(token.cap(), 1_000, "cap() of a token deployed with a cap of 1000");
        vm.startPrank(minter);
        token.mint(alice, 600);
        token.mint(bob, 400);
        vm.stopPrank();
        assertEq(token.totalSupply(), 1_000, "totalSupply after minting 600 + 400 under a cap of 1000");
    }

    function test_minting_past_the_cap_reverts_with_exceeded_cap() public {
        vm.prank(minter);
        token.mint(alice, 600);
        vm.expectRevert(abi.encodeWithSelector(CappedPausableToken.ExceededCap.selector, 1_001, 1_000));
        vm.prank(minter);
        token.mint(bob, 401);
        assertEq(token.totalSupply(), 600, "totalSupply after the mint over the cap was refused");
    }

    function test_burning_makes_room_under_the_cap() public {
        vm.prank(minter);
        token.mint(alice, 1_000);
        vm.prank(alice);
        token.burn(300);
        vm.prank(minter);
        token.mint(bob, 300);
        assertEq(token.totalSupply(), 1_000, "totalSupply after minting 1000, burning 300 and minting 300");

        vm.expectRevert(abi.encodeWithSelector(CappedPausableToken.ExceededCap.selector, 1_001, 1_000));
        vm.prank(minter);
        token.mint(bob, 1);
    }

    function test_only_a_pauser_can_pause_and_unpause() public {
        vm.expectRevert(abi.encodeWithSelector(CappedPausableToken.MissingRole.selector, alice, pauserRole));
        vm.prank(alice);
        token.pause();

        // The admin is not a pauser either: roles are separate.
        vm.expectRevert(abi.encodeWithSelector(CappedPausableToken.MissingRole.selector, address(this), pauserRole));
        token.pause();

        vm.prank(guardian);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(CappedPausableToken.MissingRole.selector, minter, pauserRole));
        vm.prank(minter);
        token.unpause();
    }

    function test_pausing_freezes_transfers_mints_and_burns() public {
        vm.prank(minter);
        token.mint(alice, 500);
        vm.prank(alice);
        token.approve(bob, 100);

        vm.expectEmit();
        emit CappedPausableToken.Paused(guardian);
        vm.prank(guardian);
        token.pause();
        assertTrue(token.paused(), "paused() after the guardian paused the token");

        vm.startPrank(alice);
        vm.expectRevert(CappedPausableToken.EnforcedPause.selector);
        token.transfer(bob, 10);
        vm.expectRevert(CappedPausableToken.EnforcedPause.selector);
        token.burn(10);
        vm.stopPrank();

        vm.expectRevert(CappedPausableToken.EnforcedPause.selector);
        vm.prank(bob);
        token.transferFrom(alice, bob, 10);

        vm.expectRevert(CappedPausableToken.EnforcedPause.selector);
        vm.prank(minter);
        token.mint(bob, 10);

        assertEq(token.balanceOf(alice), 500, "alice's balance: nothing moved while paused");
    }

    function test_pausing_twice_reverts_with_enforced_pause() public {
        vm.startPrank(guardian);
        token.pause();
        vm.expectRevert(CappedPausableToken.EnforcedPause.selector);
        token.pause();
        vm.stopPrank();
    }

    function test_unpausing_lets_tokens_move_again() public {
        vm.prank(minter);
        token.mint(alice, 500);

        vm.expectRevert(CappedPausableToken.ExpectedPause.selector);
        vm.prank(guardian);
        token.unpause();

        vm.prank(guardian);
        token.pause();
        vm.expectEmit();
        emit CappedPausableToken.Unpaused(guardian);
        vm.prank(guardian);
        token.unpause();
        assertFalse(token.paused(), "paused() after the guardian unpaused the token");

        vm.prank(alice);
        token.transfer(bob, 200);
        assertEq(token.balanceOf(bob), 200, "bob's balance after a transfer once unpaused");
    }
}
