// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract PremiumAccountTest is Test {
    Account plain;
    PremiumAccount premium;

    function setUp() public {
        plain = new Account("bob");
        premium = new PremiumAccount("ada", 3);
    }

    function test_a_premium_account_passes_its_name_to_the_parent_constructor() public view {
        assertEq(premium.name(), "ada", "name of PremiumAccount(\"ada\", 3)");
        assertEq(premium.multiplier(), 3, "multiplier of PremiumAccount(\"ada\", 3)");
    }

    function test_a_plain_account_earns_points_one_for_one() public {
        plain.reward(10);
        plain.reward(5);
        assertEq(plain.points(), 15, "points of a plain account rewarded 10 and 5");
    }

    function test_a_premium_reward_is_multiplied() public {
        premium.reward(10);
        assertEq(premium.points(), 30, "points of a premium account (x3) rewarded 10");
        premium.reward(1);
        assertEq(premium.points(), 33, "points after a further reward of 1");
    }

    function test_a_premium_account_is_one_level_above_a_plain_one() public {
        assertEq(premium.level(), 1, "level of a new premium account");
        premium.reward(40);
        plain.reward(120);
        assertEq(plain.level(), 1, "level of a plain account with 120 points");
        assertEq(premium.points(), 120, "points of the premium account rewarded 40");
        assertEq(premium.level(), 2, "level of a premium account with 120 points");
    }

    function test_used_as_an_Account_a_premium_account_keeps_its_rules() public {
        Account asAccount = premium;
        asAccount.reward(10);
        assertEq(asAccount.points(), 30, "points after reward(10) through an Account variable");
        assertEq(asAccount.level(), 1, "level through an Account variable");
    }
}
