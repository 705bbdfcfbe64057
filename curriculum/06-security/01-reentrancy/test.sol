// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

/// Deposits 1 ether, then withdraws it. Every time the vault sends it ether, receive()
/// calls withdraw() again, for as long as the vault has another ether to give.
contract Attacker {
    Vault public immutable vault;
    uint256 public reentries;

    constructor(Vault vault_) {
        vault = vault_;
    }

    function attack() external payable {
        vault.deposit{value: msg.value}();
        vault.withdraw();
    }

    receive() external payable {
        if (address(vault).balance >= 1 ether) {
            reentries += 1;
            // A refused re-entry is not the attacker's problem: it keeps what it already has.
            try vault.withdraw() {} catch {}
        }
    }
}

contract VaultTest is Test {
    Vault vault;
    Attacker attacker;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        vault = new Vault();
        attacker = new Attacker(vault);
        vm.deal(alice, 6 ether);
        vm.deal(bob, 4 ether);
        vm.prank(alice);
        vault.deposit{value: 6 ether}();
        vm.prank(bob);
        vault.deposit{value: 4 ether}();
    }

    function test_deposit_records_the_senders_balance() public view {
        assertEq(vault.balances(alice), 6 ether, "alice's balance after depositing 6 ether");
        assertEq(vault.balances(bob), 4 ether, "bob's balance after depositing 4 ether");
        assertEq(address(vault).balance, 10 ether, "ether held by the vault");
    }

    function test_an_honest_withdrawal_returns_the_whole_deposit() public {
        vm.prank(alice);
        vault.withdraw();
        assertEq(alice.balance, 6 ether, "alice's ether after withdrawing");
        assertEq(vault.balances(alice), 0, "alice's balance in the vault after withdrawing");
        assertEq(address(vault).balance, 4 ether, "ether left in the vault (bob's)");
    }

    function test_a_second_withdrawal_reverts() public {
        vm.prank(alice);
        vault.withdraw();
        vm.prank(alice);
        vm.expectRevert(bytes("nothing to withdraw"));
        vault.withdraw();
    }

    function test_the_attacker_gets_back_no_more_than_it_deposited() public {
        try attacker.attack{value: 1 ether}() {} catch {}
        assertLe(address(attacker).balance, 1 ether, "ether the attacker holds after attacking with 1 ether");
    }

    function test_the_honest_depositors_ether_survives_the_attack() public {
        try attacker.attack{value: 1 ether}() {} catch {}
        assertEq(address(vault).balance, 10 ether, "ether left in the vault for alice and bob after the attack");
        vm.prank(bob);
        vault.withdraw();
        assertEq(bob.balance, 4 ether, "bob's ether after withdrawing once the attack is over");
    }
}
