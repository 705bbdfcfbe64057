// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

// A payee that cannot accept ether: it can ask to withdraw, but has no receive function.
contract Rejecter {
    function withdrawFrom(Splitter splitter) external {
        splitter.withdraw();
    }
}

contract SplitterTest is Test {
    Splitter splitter;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");

    function setUp() public {
        splitter = new Splitter();
    }

    function test_split_credits_each_payee_half_without_sending_anything() public {
        splitter.split{value: 1 ether}(alice, bob);
        assertEq(splitter.owed(alice), 0.5 ether, "owed to alice after splitting 1 ether");
        assertEq(splitter.owed(bob), 0.5 ether, "owed to bob after splitting 1 ether");
        assertEq(alice.balance, 0, "alice's balance before she withdraws");
        assertEq(address(splitter).balance, 1 ether, "the splitter's balance after the split");
    }

    function test_split_gives_the_odd_wei_to_the_second_payee_and_emits_Credited() public {
        vm.expectEmit();
        emit Splitter.Credited(bob, 4);
        splitter.split{value: 7}(alice, bob);
        assertEq(splitter.owed(alice), 3, "owed to alice after splitting 7 wei");
        assertEq(splitter.owed(bob), 4, "owed to bob after splitting 7 wei");
    }

    function test_withdraw_pays_the_caller_their_credit_and_emits_Withdrawn() public {
        splitter.split{value: 1 ether}(alice, bob);
        splitter.split{value: 3 ether}(alice, bob);
        vm.expectEmit();
        emit Splitter.Withdrawn(alice, 2 ether);
        vm.prank(alice);
        splitter.withdraw();
        assertEq(alice.balance, 2 ether, "alice's balance after withdrawing");
        assertEq(splitter.owed(alice), 0, "owed to alice after withdrawing");
        assertEq(splitter.owed(bob), 2 ether, "owed to bob, who has not withdrawn");
        assertEq(address(splitter).balance, 2 ether, "the splitter's balance after alice withdrew");
    }

    function test_withdraw_with_nothing_owed_reverts_with_NothingToWithdraw() public {
        vm.expectRevert(abi.encodeWithSelector(Splitter.NothingToWithdraw.selector));
        vm.prank(alice);
        splitter.withdraw();
    }

    function test_withdrawing_twice_pays_only_once() public {
        splitter.split{value: 2 ether}(alice, bob);
        vm.prank(alice);
        splitter.withdraw();
        vm.expectRevert(abi.encodeWithSelector(Splitter.NothingToWithdraw.selector));
        vm.prank(alice);
        splitter.withdraw();
        assertEq(alice.balance, 1 ether, "alice's balance after withdrawing twice");
    }

    function test_a_payee_that_rejects_ether_does_not_block_the_other() public {
        Rejecter rejecter = new Rejecter();
        splitter.split{value: 2 ether}(address(rejecter), alice);

        vm.expectRevert(abi.encodeWithSelector(Splitter.PaymentFailed.selector));
        rejecter.withdrawFrom(splitter);
        assertEq(splitter.owed(address(rejecter)), 1 ether, "owed to the rejecter after its failed withdrawal");

        vm.prank(alice);
        splitter.withdraw();
        assertEq(alice.balance, 1 ether, "alice's balance after withdrawing");
    }
}
