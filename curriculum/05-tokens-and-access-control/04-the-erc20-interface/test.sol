// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

// After deploying it, these tests only see the token as an IERC20: any correct ERC-20 passes.
contract InterfaceTest is Test {
    IERC20 token;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address dex = makeAddr("dex");

    function setUp() public {
        token = IERC20(address(new CourseToken("Course Token", "CRS", 1_000e18)));
    }

    function test_name_symbol_and_decimals_describe_the_token() public view {
        IERC20Metadata meta = IERC20Metadata(address(token));
        assertEq(meta.name(), "Course Token", "name()");
        assertEq(meta.symbol(), "CRS", "symbol()");
        assertEq(uint256(meta.decimals()), 18, "decimals()");
    }

    function test_the_deployer_holds_the_initial_supply() public view {
        assertEq(token.totalSupply(), 1_000e18, "totalSupply()");
        assertEq(token.balanceOf(address(this)), 1_000e18, "balanceOf(deployer)");
        assertEq(token.balanceOf(alice), 0, "balanceOf(alice) before she receives anything");
    }

    function test_transfer_moves_tokens_and_emits_transfer() public {
        vm.expectEmit();
        emit IERC20.Transfer(address(this), alice, 250e18);
        bool ok = token.transfer(alice, 250e18);
        assertTrue(ok, "transfer() should return true");
        assertEq(token.balanceOf(alice), 250e18, "alice's balance after receiving 250 tokens");
        assertEq(token.balanceOf(address(this)), 750e18, "the deployer's balance after sending 250 tokens");
    }

    function test_transfer_of_more_than_the_balance_reverts() public {
        vm.expectRevert("insufficient balance");
        vm.prank(alice);
        token.transfer(bob, 1);
    }

    function test_approve_sets_the_allowance_and_emits_approval() public {
        vm.expectEmit();
        emit IERC20.Approval(address(this), dex, 100e18);
        bool ok = token.approve(dex, 100e18);
        assertTrue(ok, "approve() should return true");
        assertEq(token.allowance(address(this), dex), 100e18, "allowance(deployer, dex)");
    }

    function test_transfer_from_spends_the_allowance() public {
        token.approve(dex, 100e18);
        vm.expectEmit();
        emit IERC20.Transfer(address(this), bob, 60e18);
        vm.prank(dex);
        bool ok = token.transferFrom(address(this), bob, 60e18);
        assertTrue(ok, "transferFrom() should return true");
        assertEq(token.balanceOf(bob), 60e18, "bob's balance after the dex sent him 60 tokens");
        assertEq(token.allowance(address(this), dex), 40e18, "the dex's allowance after spending 60 of 100");
    }

    function test_transfer_from_without_enough_allowance_reverts() public {
        token.approve(dex, 10e18);
        vm.expectRevert("insufficient allowance");
        vm.prank(dex);
        token.transferFrom(address(this), bob, 11e18);
    }
}
