// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TransferTest is Test {
    Collectible nft;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address market = makeAddr("market");
    address mallory = makeAddr("mallory");

    function setUp() public {
        nft = new Collectible();
        nft.mint(alice, 1);
        nft.mint(alice, 2);
    }

    function test_the_owner_can_approve_an_address_for_one_token() public {
        vm.expectEmit();
        emit Collectible.Approval(alice, market, 1);
        vm.prank(alice);
        nft.approve(market, 1);
        assertEq(nft.getApproved(1), market, "getApproved(1) after alice approved the market");
        assertEq(nft.getApproved(2), address(0), "getApproved(2): approving token 1 leaves token 2 alone");
    }

    function test_a_stranger_cannot_approve_someone_elses_token() public {
        vm.expectRevert(abi.encodeWithSelector(Collectible.NotAuthorized.selector, mallory, 1));
        vm.prank(mallory);
        nft.approve(mallory, 1);
    }

    function test_set_approval_for_all_makes_an_operator() public {
        vm.expectEmit();
        emit Collectible.ApprovalForAll(alice, market, true);
        vm.prank(alice);
        nft.setApprovalForAll(market, true);
        assertTrue(nft.isApprovedForAll(alice, market), "isApprovedForAll(alice, market) after she approved it");
        assertFalse(nft.isApprovedForAll(market, alice), "isApprovedForAll(market, alice): owner first, operator second");

        vm.prank(market);
        nft.approve(bob, 2);
        assertEq(nft.getApproved(2), bob, "getApproved(2) after alice's operator approved bob");
    }

    function test_the_owner_can_transfer_a_token() public {
        vm.expectEmit();
        emit Collectible.Transfer(alice, bob, 1);
        vm.prank(alice);
        nft.transferFrom(alice, bob, 1);
        assertEq(nft.ownerOf(1), bob, "ownerOf(1) after alice sent it to bob");
        assertEq(nft.balanceOf(alice), 1, "alice's balance after sending one of her two tokens");
        assertEq(nft.balanceOf(bob), 1, "bob's balance after receiving a token");
    }

    function test_the_approved_address_and_an_operator_can_transfer() public {
        vm.startPrank(alice);
        nft.approve(bob, 1);
        nft.setApprovalForAll(market, true);
        vm.stopPrank();

        vm.prank(bob);
        nft.transferFrom(alice, bob, 1);
        assertEq(nft.ownerOf(1), bob, "ownerOf(1) after bob, approved for it, took it");

        vm.prank(market);
        nft.transferFrom(alice, mallory, 2);
        assertEq(nft.ownerOf(2), mallory, "ownerOf(2) after alice's operator sent it to mallory");
    }

    function test_a_stranger_cannot_transfer_someone_elses_token() public {
        vm.expectRevert(abi.encodeWithSelector(Collectible.NotAuthorized.selector, mallory, 1));
        vm.prank(mallory);
        nft.transferFrom(alice, mallory, 1);
    }

    function test_transfer_from_checks_the_from_and_to_addresses() public {
        vm.expectRevert(abi.encodeWithSelector(Collectible.WrongOwner.selector, bob, 1));
        vm.prank(alice);
        nft.transferFrom(bob, alice, 1);

        vm.expectRevert(abi.encodeWithSelector(Collectible.InvalidReceiver.selector, address(0)));
        vm.prank(alice);
        nft.transferFrom(alice, address(0), 1);
    }

    function test_a_transfer_clears_the_approval() public {
        vm.prank(alice);
        nft.approve(market, 1);
        vm.prank(alice);
        nft.transferFrom(alice, bob, 1);
        assertEq(nft.getApproved(1), address(0), "getApproved(1) after the token moved to bob");

        vm.expectRevert(abi.encodeWithSelector(Collectible.NotAuthorized.selector, market, 1));
        vm.prank(market);
        nft.transferFrom(bob, market, 1);
    }
}
