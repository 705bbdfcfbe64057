// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract OwnershipTest is Test {
    Collectible nft;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        nft = new Collectible();
    }

    function test_minting_gives_the_token_to_its_recipient() public {
        nft.mint(alice, 1);
        assertEq(nft.ownerOf(1), alice, "ownerOf(1) after minting token 1 to alice");
        assertEq(nft.balanceOf(alice), 1, "alice's balance after one mint");
    }

    function test_minting_emits_a_transfer_from_the_zero_address() public {
        vm.expectEmit();
        emit Collectible.Transfer(address(0), alice, 42);
        nft.mint(alice, 42);
    }

    function test_owner_of_a_token_that_does_not_exist_reverts() public {
        nft.mint(alice, 1);
        vm.expectRevert(abi.encodeWithSelector(Collectible.NonexistentToken.selector, 7));
        nft.ownerOf(7);
    }

    function test_a_token_id_can_only_be_minted_once() public {
        nft.mint(alice, 1);
        vm.expectRevert(abi.encodeWithSelector(Collectible.AlreadyMinted.selector, 1));
        nft.mint(bob, 1);
        assertEq(nft.ownerOf(1), alice, "ownerOf(1) after a second mint of token 1 was refused");
    }

    function test_minting_to_the_zero_address_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(Collectible.InvalidReceiver.selector, address(0)));
        nft.mint(address(0), 1);
    }

    function test_only_the_minter_can_mint() public {
        vm.expectRevert(abi.encodeWithSelector(Collectible.NotMinter.selector, alice));
        vm.prank(alice);
        nft.mint(alice, 1);
    }

    function test_balance_of_counts_each_owners_tokens() public {
        nft.mint(alice, 1);
        nft.mint(bob, 2);
        nft.mint(alice, 3);
        assertEq(nft.balanceOf(alice), 2, "alice's balance after tokens 1 and 3 were minted to her");
        assertEq(nft.balanceOf(bob), 1, "bob's balance after token 2 was minted to him");
        vm.expectRevert(abi.encodeWithSelector(Collectible.InvalidOwner.selector, address(0)));
        nft.balanceOf(address(0));
    }
}
