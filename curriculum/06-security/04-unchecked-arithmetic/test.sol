// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract LedgerTest is Test {
    Ledger ledger;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address mallory = makeAddr("mallory");

    function setUp() public {
        ledger = new Ledger();
        ledger.mint(alice, 100);
    }

    function test_mint_adds_to_the_balance_and_the_total_supply() public {
        ledger.mint(bob, 50);
        assertEq(ledger.balanceOf(bob), 50, "bob's balance after minting 50 to him");
        assertEq(ledger.totalSupply(), 150, "total supply after minting 100 and 50");
    }

    function test_transfer_moves_tokens_between_accounts() public {
        vm.prank(alice);
        ledger.transfer(bob, 30);
        assertEq(ledger.balanceOf(alice), 70, "alice's balance after sending 30");
        assertEq(ledger.balanceOf(bob), 30, "bob's balance after receiving 30");
    }

    function test_transferring_more_than_the_balance_reverts_with_InsufficientBalance() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ledger.InsufficientBalance.selector, 100, 101));
        ledger.transfer(bob, 101);
    }

    function test_an_empty_account_cannot_create_tokens_by_transferring() public {
        vm.prank(mallory);
        try ledger.transfer(bob, 1) {} catch {}
        assertEq(ledger.balanceOf(mallory), 0, "mallory's balance after trying to send tokens she does not have");
        assertEq(ledger.balanceOf(bob), 0, "bob's balance after mallory tried to send him a token");
    }

    function test_minting_past_the_largest_uint256_reverts_with_an_overflow() public {
        uint256 tooMuch = type(uint256).max;
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        ledger.mint(bob, tooMuch);
    }

    function test_balances_add_up_to_the_total_supply() public {
        ledger.mint(bob, 20);
        vm.prank(alice);
        ledger.transfer(bob, 40);
        vm.prank(bob);
        ledger.transfer(mallory, 5);
        uint256 sum = ledger.balanceOf(alice) + ledger.balanceOf(bob) + ledger.balanceOf(mallory);
        assertEq(sum, ledger.totalSupply(), "sum of all balances compared with the total supply");
    }
}
