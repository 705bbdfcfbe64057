// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract MintBurnTest is Test {
    Token token;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        token = new Token();
    }

    function test_the_owner_can_mint_new_tokens() public {
        token.mint(alice, 300);
        assertEq(token.balanceOf(alice), 300, "alice's balance after minting 300 to her");
        assertEq(token.totalSupply(), 300, "totalSupply after minting 300");
        token.mint(bob, 200);
        assertEq(token.totalSupply(), 500, "totalSupply after minting 300, then 200");
    }

    function test_minting_emits_a_transfer_from_the_zero_address() public {
        vm.expectEmit();
        emit Token.Transfer(address(0), alice, 300);
        token.mint(alice, 300);
    }

    function test_anyone_but_the_owner_is_refused_with_not_owner() public {
        vm.expectRevert(abi.encodeWithSelector(Token.NotOwner.selector, alice));
        vm.prank(alice);
        token.mint(alice, 1_000);
    }

    function test_burning_destroys_the_callers_tokens() public {
        token.mint(alice, 300);
        vm.prank(alice);
        token.burn(120);
        assertEq(token.balanceOf(alice), 180, "alice's balance after burning 120 of her 300");
        assertEq(token.totalSupply(), 180, "totalSupply after burning 120 of 300");
    }

    function test_burning_emits_a_transfer_to_the_zero_address() public {
        token.mint(alice, 300);
        vm.expectEmit();
        emit Token.Transfer(alice, address(0), 120);
        vm.prank(alice);
        token.burn(120);
    }

    function test_burning_more_than_the_balance_reverts() public {
        token.mint(alice, 300);
        token.mint(bob, 300);
        vm.expectRevert("insufficient balance");
        vm.prank(alice);
        token.burn(301);
    }

    function test_the_total_supply_is_always_the_sum_of_the_balances() public {
        token.mint(alice, 500);
        token.mint(bob, 250);
        vm.prank(alice);
        token.transfer(bob, 100);
        vm.prank(bob);
        token.burn(300);
        token.mint(address(this), 40);
        uint256 sum = token.balanceOf(alice) + token.balanceOf(bob) + token.balanceOf(address(this));
        assertEq(token.balanceOf(bob), 50, "bob's balance: 250 minted + 100 received - 300 burnt");
        assertEq(token.totalSupply(), 490, "totalSupply: 500 + 250 + 40 minted - 300 burnt");
        assertEq(sum, token.totalSupply(), "the sum of every balance against totalSupply");
    }
}
