// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

contract ShipmentTest is Test {
    Shipment shipment;

    function setUp() public {
        shipment = new Shipment();
    }

    function assertStatus(Shipment.Status expected, string memory when) internal view {
        assertEq(
            uint256(shipment.status()),
            uint256(expected),
            string.concat("status ", when, " (0 Pending, 1 Shipped, 2 Delivered, 3 Cancelled)")
        );
    }

    function test_a_new_shipment_is_pending() public view {
        assertStatus(Shipment.Status.Pending, "of a new shipment");
    }

    function test_ship_then_deliver_walks_through_the_states() public {
        shipment.ship();
        assertStatus(Shipment.Status.Shipped, "after ship()");
        shipment.deliver();
        assertStatus(Shipment.Status.Delivered, "after ship() and deliver()");
    }

    function test_deliver_before_shipping_reverts() public {
        vm.expectRevert(bytes("not shipped"));
        shipment.deliver();
        assertStatus(Shipment.Status.Pending, "after a deliver() that reverted");
    }

    function test_cancel_moves_a_pending_shipment_to_cancelled() public {
        shipment.cancel();
        assertStatus(Shipment.Status.Cancelled, "after cancel()");
    }

    function test_a_shipped_order_cannot_be_cancelled_or_shipped_again() public {
        shipment.ship();
        vm.expectRevert(bytes("not pending"));
        shipment.cancel();
        vm.expectRevert(bytes("not pending"));
        shipment.ship();
        assertStatus(Shipment.Status.Shipped, "after ship() and two calls that reverted");
    }

    function test_cancelled_and_delivered_are_final() public {
        shipment.cancel();
        vm.expectRevert(bytes("not pending"));
        shipment.ship();
        vm.expectRevert(bytes("not shipped"));
        shipment.deliver();

        Shipment other = new Shipment();
        other.ship();
        other.deliver();
        vm.expectRevert(bytes("not shipped"));
        other.deliver();
        vm.expectRevert(bytes("not pending"));
        other.cancel();
    }
}
