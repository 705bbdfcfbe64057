// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract TextTest is Test {
    Text text;

    function setUp() public {
        text = new Text();
    }

    function test_equal_compares_the_contents() public view {
        assertTrue(text.equal("solidity", "solidity"), "equal(\"solidity\", \"solidity\")");
        assertTrue(text.equal("", ""), "equal(\"\", \"\")");
        assertFalse(text.equal("solidity", "Solidity"), "equal(\"solidity\", \"Solidity\")");
        assertFalse(text.equal("abc", "abc "), "equal(\"abc\", \"abc \")");
    }

    function test_greet_builds_a_greeting() public view {
        assertEq(text.greet("Ada"), "Hello, Ada!", "greet(\"Ada\")");
        assertEq(text.greet(""), "Hello, !", "greet(\"\")");
    }

    function test_byteLength_counts_bytes_not_characters() public view {
        assertEq(text.byteLength(""), 0, "byteLength(\"\")");
        assertEq(text.byteLength("abc"), 3, "byteLength(\"abc\")");
        assertEq(text.byteLength(unicode"héllo"), 6, "byteLength(\"h\u00e9llo\"): the \u00e9 takes two bytes");
    }

    function test_isPalindrome_accepts_words_that_read_the_same_backwards() public view {
        assertTrue(text.isPalindrome("racecar"), "isPalindrome(\"racecar\")");
        assertTrue(text.isPalindrome("abba"), "isPalindrome(\"abba\")");
        assertTrue(text.isPalindrome("a"), "isPalindrome(\"a\")");
        assertTrue(text.isPalindrome(""), "isPalindrome(\"\")");
    }

    function test_isPalindrome_rejects_other_words() public view {
        assertFalse(text.isPalindrome("solidity"), "isPalindrome(\"solidity\")");
        assertFalse(text.isPalindrome("ab"), "isPalindrome(\"ab\")");
        assertFalse(text.isPalindrome("abca"), "isPalindrome(\"abca\")");
    }
}
