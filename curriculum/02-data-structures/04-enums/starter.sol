// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Shipment {
    enum Status {
        Pending,
        Shipped,
        Delivered,
        Cancelled
    }

    Status public status;

    function ship() external {
        // only from Pending, to Shipped
    }

    function deliver() external {
        // only from Shipped, to Delivered
    }

    function cancel() external {
        // only from Pending, to Cancelled
    }
}
