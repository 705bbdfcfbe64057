// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract LoopsTest is Test {
    Loops loops;

    function setUp() public {
        loops = new Loops();
    }

    function test_sumTo_adds_the_numbers_from_1_to_n() public view {
        assertEq(loops.sumTo(0), 0, "sumTo(0)");
        assertEq(loops.sumTo(1), 1, "sumTo(1)");
        assertEq(loops.sumTo(10), 55, "sumTo(10)");
        assertEq(loops.sumTo(1000), 500500, "sumTo(1000)");
    }

    function test_sumTo_refuses_more_than_1000_numbers() public {
        vm.expectRevert(bytes("n too large"));
        loops.sumTo(1001);
    }

    function test_countDigits_counts_decimal_digits() public view {
        assertEq(loops.countDigits(0), 1, "countDigits(0)");
        assertEq(loops.countDigits(7), 1, "countDigits(7)");
        assertEq(loops.countDigits(10), 2, "countDigits(10)");
        assertEq(loops.countDigits(12345), 5, "countDigits(12345)");
        assertEq(loops.countDigits(type(uint256).max), 78, "countDigits of the largest uint256");
    }

    function test_isPrime_recognises_primes() public view {
        assertTrue(loops.isPrime(2), "isPrime(2)");
        assertTrue(loops.isPrime(3), "isPrime(3)");
        assertTrue(loops.isPrime(97), "isPrime(97)");
        assertTrue(loops.isPrime(7919), "isPrime(7919)");
        assertTrue(loops.isPrime(65521), "isPrime(65521), the largest prime that fits in a uint16");
    }

    function test_isPrime_rejects_numbers_that_are_not_prime() public view {
        assertFalse(loops.isPrime(0), "isPrime(0)");
        assertFalse(loops.isPrime(1), "isPrime(1)");
        assertFalse(loops.isPrime(4), "isPrime(4)");
        assertFalse(loops.isPrime(91), "isPrime(91) (7 x 13)");
        assertFalse(loops.isPrime(65535), "isPrime(65535) (3 x 5 x 17 x 257)");
    }
}
