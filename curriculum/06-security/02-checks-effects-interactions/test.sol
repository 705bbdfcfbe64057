// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

/// Deposits, then withdraws. When the ether arrives, receive() notes the balance the bank still
/// shows for it, then tries to move that balance to an accomplice with transfer(): if the bank
/// has not booked the withdrawal yet, the accomplice can withdraw the same ether a second time.
contract Attacker {
    Bank public immutable bank;
    address public immutable accomplice;
    uint256 public balanceSeenDuringCall;
    bool public transferSucceeded;
    bytes public transferRevertData;

    constructor(Bank bank_, address accomplice_) {
        bank = bank_;
        accomplice = accomplice_;
    }

    function attack() external payable {
        bank.deposit{value: msg.value}();
        bank.withdraw();
    }

    receive() external payable {
        balanceSeenDuringCall = bank.balances(address(this));
        (bool ok, bytes memory data) =
            address(bank).call(abi.encodeCall(Bank.transfer, (accomplice, balanceSeenDuringCall)));
        transferSucceeded = ok;
        transferRevertData = data;
    }
}

contract BankTest is Test {
    Bank bank;
    Attacker attacker;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address accomplice = makeAddr("accomplice");

    function setUp() public {
        bank = new Bank();
        attacker = new Attacker(bank, accomplice);
        vm.deal(alice, 5 ether);
        vm.deal(bob, 5 ether);
        vm.prank(alice);
        bank.deposit{value: 5 ether}();
        vm.prank(bob);
        bank.deposit{value: 5 ether}();
    }

    function test_withdraw_returns_the_whole_balance() public {
        vm.prank(alice);
        bank.withdraw();
        assertEq(alice.balance, 5 ether, "alice's ether after withdrawing");
        assertEq(bank.balances(alice), 0, "alice's balance in the bank after withdrawing");
    }

    function test_transfer_moves_a_balance_between_accounts() public {
        vm.prank(alice);
        bank.transfer(bob, 2 ether);
        assertEq(bank.balances(alice), 3 ether, "alice's balance after sending 2 ether to bob");
        assertEq(bank.balances(bob), 7 ether, "bob's balance after receiving 2 ether from alice");
    }

    function test_the_guard_unlocks_after_every_call() public {
        vm.prank(alice);
        bank.transfer(bob, 1 ether);
        vm.prank(alice);
        bank.withdraw();
        vm.prank(bob);
        bank.withdraw();
        assertEq(bob.balance, 6 ether, "bob's ether after a transfer and two withdrawals in a row");
    }

    function test_the_balance_is_already_zero_when_the_ether_arrives() public {
        attacker.attack{value: 1 ether}();
        assertEq(attacker.balanceSeenDuringCall(), 0, "the attacker's balance in the bank while its receive() runs");
    }

    function test_a_reentrant_transfer_reverts_with_ReentrantCall() public {
        attacker.attack{value: 1 ether}();
        assertFalse(attacker.transferSucceeded(), "whether the transfer attempted from inside withdraw() succeeded");
        assertEq(
            attacker.transferRevertData(),
            abi.encodeWithSelector(Bank.ReentrantCall.selector),
            "what the re-entrant transfer reverted with (expected ReentrantCall())"
        );
    }

    function test_the_accomplice_gets_no_credit_from_the_attack() public {
        attacker.attack{value: 1 ether}();
        assertEq(bank.balances(accomplice), 0, "the accomplice's balance after the attack");
        assertEq(address(bank).balance, 10 ether, "ether in the bank after the attack (alice's and bob's)");
    }
}
