// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TokenTest is Test {
    Token token;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        token = new Token(1_000);
    }

    function test_the_deployer_holds_the_whole_initial_supply() public view {
        assertEq(token.totalSupply(), 1_000, "totalSupply after deploying with 1000");
        assertEq(token.balanceOf(address(this)), 1_000, "the deployer's balance");
        assertEq(token.balanceOf(alice), 0, "the balance of an address that never received tokens");
    }

    function test_the_constructor_emits_a_transfer_from_the_zero_address() public {
        vm.expectEmit();
        emit Token.Transfer(address(0), address(this), 500);
        new Token(500);
    }

    function test_transfer_moves_tokens_from_the_sender_to_the_recipient() public {
        bool ok = token.transfer(alice, 300);
        assertTrue(ok, "transfer should return true");
        assertEq(token.balanceOf(address(this)), 700, "the sender's balance after sending 300");
        assertEq(token.balanceOf(alice), 300, "alice's balance after receiving 300");
    }

    function test_a_recipient_can_pass_tokens_on() public {
        token.transfer(alice, 300);
        vm.prank(alice);
        token.transfer(bob, 120);
        assertEq(token.balanceOf(alice), 180, "alice's balance after sending 120 of her 300");
        assertEq(token.balanceOf(bob), 120, "bob's balance after alice sent him 120");
    }

    function test_transfer_emits_a_transfer_event() public {
        vm.expectEmit();
        emit Token.Transfer(address(this), alice, 250);
        token.transfer(alice, 250);
    }

    function test_sending_more_than_the_balance_reverts_with_insufficient_balance() public {
        token.transfer(alice, 100);
        vm.expectRevert("insufficient balance");
        vm.prank(alice);
        token.transfer(bob, 101);
    }

    function test_transfers_never_change_the_total_supply() public {
        token.transfer(alice, 400);
        vm.prank(alice);
        token.transfer(bob, 150);
        assertEq(token.totalSupply(), 1_000, "totalSupply after two transfers");
        uint256 sum = token.balanceOf(address(this)) + token.balanceOf(alice) + token.balanceOf(bob);
        assertEq(sum, 1_000, "the sum of every balance after two transfers");
    }
}
