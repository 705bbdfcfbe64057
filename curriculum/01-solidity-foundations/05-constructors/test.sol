// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

// A contract that deploys FeeSettings: for that deployment, it is the deployer.
contract SettingsFactory {
    function create() external returns (FeeSettings) {
        return new FeeSettings(1);
    }
}

contract FeeSettingsTest is Test {
    FeeSettings settings;
    address alice = makeAddr("alice");

    function setUp() public {
        settings = new FeeSettings(5);
    }

    function test_the_constructor_stores_the_starting_fee() public view {
        assertEq(settings.feePercent(), 5, "feePercent after new FeeSettings(5)");
    }

    function test_the_deployer_becomes_the_owner() public {
        assertEq(settings.owner(), address(this), "owner of a contract the test deployed");
        SettingsFactory factory = new SettingsFactory();
        FeeSettings made = factory.create();
        assertEq(made.owner(), address(factory), "owner of a contract the factory deployed");
    }

    function test_the_constructor_rejects_a_fee_above_100_percent() public {
        vm.expectRevert(bytes("fee above 100%"));
        new FeeSettings(101);
    }

    function test_the_owner_can_change_the_fee() public {
        settings.setFeePercent(100);
        assertEq(settings.feePercent(), 100, "feePercent after the owner set it to 100");
        vm.expectRevert(bytes("fee above 100%"));
        settings.setFeePercent(101);
    }

    function test_a_stranger_cannot_change_the_fee() public {
        vm.prank(alice);
        vm.expectRevert(bytes("not the owner"));
        settings.setFeePercent(0);
        assertEq(settings.feePercent(), 5, "feePercent after alice tried to set it");
    }

    function test_transferOwnership_hands_over_control() public {
        vm.prank(alice);
        vm.expectRevert(bytes("not the owner"));
        settings.transferOwnership(alice);

        settings.transferOwnership(alice);
        assertEq(settings.owner(), alice, "owner after the owner transferred it to alice");

        vm.prank(alice);
        settings.setFeePercent(7);
        assertEq(settings.feePercent(), 7, "feePercent after alice, the new owner, set it");

        vm.expectRevert(bytes("not the owner"));
        settings.setFeePercent(8);
    }
}
