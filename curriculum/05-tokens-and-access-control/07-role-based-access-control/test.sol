// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract RolesTest is Test {
    RoleToken token;
    bytes32 adminRole;
    bytes32 minterRole;
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address carol = makeAddr("carol");

    function setUp() public {
        token = new RoleToken();
        adminRole = token.DEFAULT_ADMIN_ROLE();
        minterRole = token.MINTER_ROLE();
    }

    function test_the_deployer_is_an_admin_and_nobody_is_a_minter_yet() public view {
        assertEq(minterRole, keccak256("MINTER_ROLE"), "MINTER_ROLE is keccak256(\"MINTER_ROLE\")");
        assertTrue(token.hasRole(adminRole, address(this)), "the deployer should hold DEFAULT_ADMIN_ROLE");
        assertFalse(token.hasRole(minterRole, address(this)), "the deployer should not hold MINTER_ROLE");
        assertFalse(token.hasRole(adminRole, alice), "alice should not hold DEFAULT_ADMIN_ROLE");
    }

    function test_the_admin_can_grant_a_role() public {
        vm.expectEmit();
        emit RoleToken.RoleGranted(minterRole, alice, address(this));
        token.grantRole(minterRole, alice);
        assertTrue(token.hasRole(minterRole, alice), "alice should hold MINTER_ROLE once granted");
        assertFalse(token.hasRole(minterRole, bob), "bob should not hold MINTER_ROLE");
    }

    function test_a_minter_can_mint() public {
        token.grantRole(minterRole, alice);
        vm.prank(alice);
        token.mint(bob, 500);
        assertEq(token.balanceOf(bob), 500, "bob's balance after alice minted 500 to him");
        assertEq(token.totalSupply(), 500, "totalSupply after minting 500");
    }

    function test_minting_without_the_minter_role_reverts_with_missing_role() public {
        vm.expectRevert(abi.encodeWithSelector(RoleToken.MissingRole.selector, bob, minterRole));
        vm.prank(bob);
        token.mint(bob, 500);

        // Being an admin is not enough: the roles are separate.
        vm.expectRevert(abi.encodeWithSelector(RoleToken.MissingRole.selector, address(this), minterRole));
        token.mint(address(this), 500);
    }

    function test_only_an_admin_can_grant_or_revoke_roles() public {
        token.grantRole(minterRole, alice);

        vm.expectRevert(abi.encodeWithSelector(RoleToken.MissingRole.selector, alice, adminRole));
        vm.prank(alice);
        token.grantRole(minterRole, bob);

        vm.expectRevert(abi.encodeWithSelector(RoleToken.MissingRole.selector, bob, adminRole));
        vm.prank(bob);
        token.revokeRole(minterRole, alice);
        assertTrue(token.hasRole(minterRole, alice), "alice should still hold MINTER_ROLE");
    }

    function test_the_admin_can_revoke_a_role() public {
        token.grantRole(minterRole, alice);
        vm.expectEmit();
        emit RoleToken.RoleRevoked(minterRole, alice, address(this));
        token.revokeRole(minterRole, alice);
        assertFalse(token.hasRole(minterRole, alice), "alice should not hold MINTER_ROLE once revoked");

        vm.expectRevert(abi.encodeWithSelector(RoleToken.MissingRole.selector, alice, minterRole));
        vm.prank(alice);
        token.mint(alice, 1);
    }

    function test_an_admin_can_make_another_admin() public {
        token.grantRole(adminRole, bob);
        vm.prank(bob);
        token.grantRole(minterRole, carol);
        assertTrue(token.hasRole(minterRole, carol), "carol should hold MINTER_ROLE, granted by the new admin bob");
    }
}
