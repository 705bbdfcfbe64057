// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// The gas windows below include the test's own code around each call: keep it the same coder
// for everyone (the runner compiles tests with ABI coder v1 unless they name one).
pragma abicoder v2;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

/// The same function, without any settings: it reads no storage.
contract StoragelessQuote {
    function quote(uint256 amount) external pure returns (uint256 fee, uint256 net, address feeTo) {
        return (0, amount, address(0));
    }
}

contract FeeQuoterTest is Test {
    FeeQuoter quoter;
    address treasury = makeAddr("treasury");

    function setUp() public {
        quoter = new FeeQuoter(treasury);
    }

    function test_quote_takes_a_fee_of_2_5_percent() public view {
        (uint256 fee, uint256 net, ) = quoter.quote(200 ether);
        assertEq(fee, 5 ether, "fee on 200 ether");
        assertEq(net, 195 ether, "what is left of 200 ether after the fee");
    }

    function test_quote_names_the_treasury_chosen_at_deployment() public {
        (, , address feeTo) = quoter.quote(1 ether);
        assertEq(feeTo, treasury, "where the fee goes");
        FeeQuoter other = new FeeQuoter(address(this));
        (, , address otherFeeTo) = other.quote(1 ether);
        assertEq(otherFeeTo, address(this), "where the fee goes for a quoter deployed with another treasury");
    }

    function test_quote_refuses_more_than_1000_ether() public {
        (uint256 fee, , ) = quoter.quote(1_000 ether);
        assertEq(fee, 25 ether, "fee on exactly 1000 ether");
        vm.expectRevert(abi.encodeWithSelector(FeeQuoter.AmountTooLarge.selector, 1_001 ether, 1_000 ether));
        quoter.quote(1_001 ether);
    }

    function test_quote_reads_no_storage() public {
        // A cold storage read costs 2,100 gas. Compare quote() with one that reads nothing.
        FeeQuoter baseline = FeeQuoter(address(new StoragelessQuote()));
        uint256 used = gasOfQuote(quoter);
        uint256 baselineUsed = gasOfQuote(baseline);
        assertLt(used, baselineUsed + 1_800, "gas used by quote(), compared with a quote that reads no storage");
    }

    function gasOfQuote(FeeQuoter target) internal view returns (uint256 used) {
        // Touch the address first (BALANCE does), so that the 2,600 gas every first call to an
        // account costs is not part of the measurement.
        assertEq(address(target).balance, 0, "ether held by the quoter");
        uint256 before = gasleft();
        target.quote(1 ether);
        used = before - gasleft();
    }
}
