// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

// A seller that is a contract and writes to storage when paid: more than 2300 gas.
contract CountingWallet {
    uint256 public payments;

    receive() external payable {
        payments += 1;
    }
}

// A seller that cannot accept ether: no receive, no fallback.
contract Rejecter {}

contract EscrowTest is Test {
    Escrow escrow;
    address seller = makeAddr("seller");
    address alice = makeAddr("alice");

    function setUp() public {
        escrow = new Escrow{value: 1 ether}(seller); // the test contract is the buyer
    }

    function test_release_sends_the_held_ether_to_the_seller() public {
        escrow.release();
        assertEq(seller.balance, 1 ether, "the seller's balance after release");
        assertEq(address(escrow).balance, 0, "the escrow's balance after release");
        assertTrue(escrow.released(), "released after release()");
    }

    function test_only_the_buyer_can_release() public {
        vm.expectRevert("only the buyer");
        vm.prank(seller);
        escrow.release();
        assertEq(seller.balance, 0, "the seller's balance after trying to release the escrow themselves");
        assertFalse(escrow.released(), "released after the refused call");
    }

    function test_release_can_only_happen_once() public {
        escrow.release();
        vm.expectRevert("already released");
        escrow.release();
    }

    function test_release_pays_a_seller_contract_that_needs_more_than_2300_gas() public {
        CountingWallet wallet = new CountingWallet();
        Escrow toWallet = new Escrow{value: 2 ether}(address(wallet));
        toWallet.release();
        assertEq(address(wallet).balance, 2 ether, "the wallet's balance after release");
        assertEq(wallet.payments(), 1, "payments the wallet counted");
    }

    function test_when_the_seller_rejects_the_ether_release_reverts_and_nothing_changes() public {
        Rejecter rejecter = new Rejecter();
        Escrow toRejecter = new Escrow{value: 1 ether}(address(rejecter));
        vm.expectRevert("payment failed");
        toRejecter.release();
        assertFalse(toRejecter.released(), "released after the payment failed");
        assertEq(address(toRejecter).balance, 1 ether, "the escrow's balance after the payment failed");
    }
}
