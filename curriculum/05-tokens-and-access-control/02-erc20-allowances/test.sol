// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract AllowanceTest is Test {
    Token token;
    address alice = makeAddr("alice");
    address shop = makeAddr("shop");
    address bob = makeAddr("bob");

    function setUp() public {
        token = new Token(1_000);
        token.transfer(alice, 500);
    }

    function test_approve_sets_the_allowance_and_returns_true() public {
        vm.prank(alice);
        bool ok = token.approve(shop, 200);
        assertTrue(ok, "approve should return true");
        assertEq(token.allowance(alice, shop), 200, "allowance(alice, shop) after alice approved 200");
        assertEq(token.allowance(shop, alice), 0, "allowance(shop, alice): the keys are holder, then spender");
    }

    function test_approve_emits_an_approval_event() public {
        vm.expectEmit();
        emit Token.Approval(alice, shop, 200);
        vm.prank(alice);
        token.approve(shop, 200);
    }

    function test_a_second_approve_replaces_the_allowance() public {
        vm.startPrank(alice);
        token.approve(shop, 200);
        token.approve(shop, 50);
        vm.stopPrank();
        assertEq(token.allowance(alice, shop), 50, "allowance after approving 200, then 50");
    }

    function test_transfer_from_moves_tokens_and_lowers_the_allowance() public {
        vm.prank(alice);
        token.approve(shop, 200);
        vm.prank(shop);
        bool ok = token.transferFrom(alice, bob, 150);
        assertTrue(ok, "transferFrom should return true");
        assertEq(token.balanceOf(alice), 350, "alice's balance after the shop took 150 of her 500");
        assertEq(token.balanceOf(bob), 150, "bob's balance after receiving 150");
        assertEq(token.balanceOf(shop), 0, "the shop's own balance: it only moved alice's tokens");
        assertEq(token.allowance(alice, shop), 50, "the allowance left after spending 150 of 200");
    }

    function test_transfer_from_emits_a_transfer_event() public {
        vm.prank(alice);
        token.approve(shop, 200);
        vm.expectEmit();
        emit Token.Transfer(alice, bob, 80);
        vm.prank(shop);
        token.transferFrom(alice, bob, 80);
    }

    function test_spending_more_than_the_allowance_reverts() public {
        vm.prank(alice);
        token.approve(shop, 100);
        vm.expectRevert("insufficient allowance");
        vm.prank(shop);
        token.transferFrom(alice, bob, 101);
    }

    function test_an_allowance_cannot_spend_more_than_the_holder_has() public {
        vm.prank(alice);
        token.approve(shop, 10_000);
        vm.expectRevert("insufficient balance");
        vm.prank(shop);
        token.transferFrom(alice, bob, 501);
    }
}
