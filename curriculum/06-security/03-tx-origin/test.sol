// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

/// A "free prize" contract. The owner calls claimPrize() hoping for a gift; it calls the
/// owner's wallet in the same transaction and sends everything to the thief.
contract Phisher {
    Wallet public immutable wallet;
    address payable public immutable thief;

    constructor(Wallet wallet_, address payable thief_) {
        wallet = wallet_;
        thief = thief_;
    }

    function claimPrize() external {
        wallet.send(thief, address(wallet).balance);
    }
}

/// A smart account: a contract that owns the wallet and forwards its owner's orders.
contract SmartAccount {
    address public immutable user;

    constructor(address user_) {
        user = user_;
    }

    function deployWallet() external returns (Wallet) {
        return new Wallet();
    }

    function pay(Wallet wallet, address payable to, uint256 amount) external {
        require(msg.sender == user, "only the user");
        wallet.send(to, amount);
    }
}

contract WalletTest is Test {
    Wallet wallet;
    Phisher phisher;
    // In these tests every transaction starts from the same account, tx.origin. We make it the
    // owner, so that vm.prank(owner) is the owner sending a transaction straight to a contract:
    // msg.sender and tx.origin are then both the owner. (vm.prank changes msg.sender only.)
    address owner = tx.origin;
    address payable thief = payable(makeAddr("thief"));
    address payable bob = payable(makeAddr("bob"));

    function setUp() public {
        vm.label(owner, "owner");
        vm.prank(owner);
        wallet = new Wallet();
        vm.deal(address(wallet), 10 ether);
        phisher = new Phisher(wallet, thief);
    }

    function test_the_deployer_owns_the_wallet() public view {
        assertEq(wallet.owner(), owner, "owner of the new wallet");
    }

    function test_the_owner_can_send_ether_directly() public {
        vm.prank(owner);
        wallet.send(bob, 3 ether);
        assertEq(bob.balance, 3 ether, "bob's ether after the owner sent him 3");
        assertEq(address(wallet).balance, 7 ether, "ether left in the wallet");
    }

    function test_a_contract_the_owner_calls_cannot_empty_the_wallet() public {
        vm.prank(owner);
        try phisher.claimPrize() {} catch {}
        assertEq(thief.balance, 0, "ether the thief got from the phishing contract");
        assertEq(address(wallet).balance, 10 ether, "ether left in the wallet after the phishing attempt");
    }

    function test_the_wallet_refuses_the_phisher_with_NotOwner() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Wallet.NotOwner.selector, address(phisher)));
        phisher.claimPrize();
    }

    function test_a_wallet_owned_by_a_smart_account_works() public {
        address user = makeAddr("user");
        SmartAccount account = new SmartAccount(user);
        Wallet accountWallet = account.deployWallet();
        vm.deal(address(accountWallet), 2 ether);
        assertEq(accountWallet.owner(), address(account), "owner of the wallet the smart account deployed");

        vm.prank(user);
        account.pay(accountWallet, bob, 1 ether);
        assertEq(bob.balance, 1 ether, "bob's ether after the smart account paid him");
    }
}
