// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract PercentTest is Test {
    using Percent for uint256;

    Checkout checkout;

    function setUp() public {
        checkout = new Checkout(15);
    }

    function test_percentOf_takes_a_percentage_rounded_down() public pure {
        assertEq(Percent.percentOf(250, 10), 25, "10% of 250");
        assertEq(Percent.percentOf(99, 50), 49, "50% of 99, rounded down");
        assertEq(Percent.percentOf(80, 100), 80, "100% of 80");
        assertEq(Percent.percentOf(80, 0), 0, "0% of 80");
    }

    function test_the_functions_work_as_methods_on_uint256() public pure {
        uint256 price = 80;
        assertEq(price.percentOf(25), 20, "price.percentOf(25) with a price of 80");
        assertEq(price.addPercent(25), 100, "price.addPercent(25) with a price of 80");
    }

    function test_checkout_fee_and_total_use_the_fee_percent() public view {
        assertEq(checkout.fee(200), 30, "fee on 200 at 15%");
        assertEq(checkout.total(200), 230, "total for 200 at 15%");
        assertEq(checkout.fee(10), 1, "fee on 10 at 15% (1.5, rounded down)");
    }

    function test_a_percentage_above_100_reverts_with_PercentTooHigh() public {
        Checkout greedy = new Checkout(150);
        vm.expectRevert(abi.encodeWithSelector(Percent.PercentTooHigh.selector, 150));
        greedy.fee(100);
    }
}
