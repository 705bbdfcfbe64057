// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract LedgerTest is Test {
    Ledger ledger;

    function setUp() public {
        ledger = new Ledger();
    }

    function test_add_records_one_entry_and_its_amount() public {
        ledger.add(10);
        assertEq(ledger.getTotal(), 10, "getTotal() after add(10)");
        assertEq(ledger.entries(), 1, "entries after add(10)");
    }

    function test_several_adds_accumulate() public {
        ledger.add(10);
        ledger.add(5);
        ledger.add(30);
        assertEq(ledger.getTotal(), 45, "getTotal() after adding 10, 5 and 30");
        assertEq(ledger.entries(), 3, "entries after three adds");
    }

    function test_average_divides_the_total_by_the_entries() public {
        ledger.add(10);
        ledger.add(5);
        ledger.add(30);
        assertEq(ledger.average(), 15, "average() of 10, 5 and 30");
    }

    function test_record_cannot_be_called_from_outside() public {
        (bool called,) = address(ledger).call(abi.encodeWithSignature("_record(uint256)", 1000));
        assertFalse(called, "an outside call to _record(1000) succeeded");
        assertEq(ledger.getTotal(), 0, "getTotal() after an outside call to _record(1000)");
    }

    function test_total_has_no_getter() public {
        (bool called,) = address(ledger).call(abi.encodeWithSignature("total()"));
        assertFalse(called, "a call to total() succeeded: total should have no getter");
    }
}
