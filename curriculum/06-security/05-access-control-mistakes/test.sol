// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TreasuryTest is Test {
    Treasury treasury;
    address owner = makeAddr("owner");
    address mallory = makeAddr("mallory");
    address payable bob = payable(makeAddr("bob"));

    function setUp() public {
        treasury = new Treasury();
        treasury.initialize(owner, 2 ether);
        vm.deal(address(treasury), 10 ether);
    }

    function test_initialize_sets_the_owner_and_the_limit() public view {
        assertEq(treasury.owner(), owner, "owner after initialize");
        assertEq(treasury.limit(), 2 ether, "limit after initialize");
        assertTrue(treasury.initialized(), "initialized after initialize");
    }

    function test_the_owner_can_withdraw_up_to_the_limit() public {
        vm.prank(owner);
        treasury.withdraw(bob, 2 ether);
        assertEq(bob.balance, 2 ether, "bob's ether after the owner withdrew 2 to him");

        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Treasury.OverLimit.selector, 3 ether, 2 ether));
        treasury.withdraw(bob, 3 ether);
    }

    function test_initialize_cannot_be_called_a_second_time() public {
        vm.prank(mallory);
        vm.expectRevert(Treasury.AlreadyInitialized.selector);
        treasury.initialize(mallory, 100 ether);
        assertEq(treasury.owner(), owner, "owner after mallory called initialize again");
    }

    function test_a_stranger_cannot_change_the_limit() public {
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(Treasury.NotOwner.selector, mallory));
        treasury.setLimit(100 ether);
    }

    function test_the_owner_can_change_the_limit() public {
        vm.prank(owner);
        treasury.setLimit(5 ether);
        assertEq(treasury.limit(), 5 ether, "limit after the owner set it to 5 ether");
    }

    function test_the_payment_helper_cannot_be_called_from_outside() public {
        vm.prank(mallory);
        (bool ok, ) = address(treasury).call(
            abi.encodeWithSignature("_sendEther(address,uint256)", mallory, 10 ether)
        );
        assertFalse(ok, "whether mallory's call to _sendEther(mallory, 10 ether) succeeded");
        assertEq(address(treasury).balance, 10 ether, "ether left in the treasury");
    }
}
