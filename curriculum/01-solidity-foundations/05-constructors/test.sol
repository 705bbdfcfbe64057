// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

// A contract that deploys a Campaign: for that deployment, it is the deployer.
contract CampaignFactory {
    function launch() external returns (Campaign) {
        return new Campaign(500, 7);
    }
}

contract CampaignTest is Test {
    uint256 constant START = 1_700_000_000;
    Campaign campaign;
    address alice = makeAddr("alice");

    function setUp() public {
        vm.warp(START);
        campaign = new Campaign(1000, 30);
    }

    function test_the_constructor_stores_the_goal_and_the_deadline() public view {
        assertEq(campaign.goal(), 1000, "goal after new Campaign(1000, 30)");
        assertEq(campaign.deadline(), START + 30 days, "deadline: deployment time + 30 days in seconds");
    }

    function test_the_deployer_becomes_the_creator() public {
        assertEq(campaign.creator(), address(this), "creator of a campaign the test deployed");
        CampaignFactory factory = new CampaignFactory();
        Campaign launched = factory.launch();
        assertEq(launched.creator(), address(factory), "creator of a campaign the factory deployed");
    }

    function test_the_constructor_rejects_a_goal_of_zero() public {
        vm.expectRevert(bytes("goal is zero"));
        new Campaign(0, 30);
    }

    function test_the_constructor_rejects_a_duration_outside_1_to_90_days() public {
        vm.expectRevert(bytes("bad duration"));
        new Campaign(1000, 0);
        vm.expectRevert(bytes("bad duration"));
        new Campaign(1000, 91);
        Campaign longest = new Campaign(1000, 90);
        assertEq(longest.deadline(), START + 90 days, "deadline of a 90-day campaign");
    }

    function test_only_the_creator_can_extend_the_deadline() public {
        vm.prank(alice);
        vm.expectRevert(bytes("not the creator"));
        campaign.extend(5);
        assertEq(campaign.deadline(), START + 30 days, "deadline after alice tried to extend it");

        campaign.extend(5);
        assertEq(campaign.deadline(), START + 35 days, "deadline after the creator extended it by 5 days");
    }
}
