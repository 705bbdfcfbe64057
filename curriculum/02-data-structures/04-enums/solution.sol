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
        require(status == Status.Pending, "not pending");
        status = Status.Shipped;
    }

    function deliver() external {
        require(status == Status.Shipped, "not shipped");
        status = Status.Delivered;
    }

    function cancel() external {
        require(status == Status.Pending, "not pending");
        status = Status.Cancelled;
    }
}
