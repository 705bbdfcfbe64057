// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract SimpleStorageTest is Test {
    SimpleStorage simpleStorage;

    function setUp() public {
        simpleStorage = new SimpleStorage();
    }

    function test_a_new_contract_starts_with_42() public view {
        assertEq(simpleStorage.storedNumber(), 42, "storedNumber right after deployment");
    }

    function test_store_replaces_the_number() public {
        simpleStorage.store(7);
        assertEq(simpleStorage.storedNumber(), 7, "storedNumber after store(7)");
    }

    function test_the_last_number_stored_wins() public {
        simpleStorage.store(1);
        simpleStorage.store(2024);
        assertEq(simpleStorage.storedNumber(), 2024, "storedNumber after store(1) then store(2024)");
    }

    function test_store_accepts_zero() public {
        simpleStorage.store(0);
        assertEq(simpleStorage.storedNumber(), 0, "storedNumber after store(0)");
    }

    function test_each_deployment_has_its_own_storage() public {
        SimpleStorage other = new SimpleStorage();
        assertNotEq(address(other), address(simpleStorage), "address of a second deployment");
        other.store(99);
        assertEq(other.storedNumber(), 99, "the second contract's storedNumber after store(99)");
        assertEq(simpleStorage.storedNumber(), 42, "the first contract's storedNumber, untouched");
    }
}
