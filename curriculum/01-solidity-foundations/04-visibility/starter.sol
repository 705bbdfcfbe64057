// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Ledger {
    uint256 private total;
    uint256 public entries;

    function add(uint256 amount) external {
        // record the amount with _record
    }

    function getTotal() public view returns (uint256) {
        return total;
    }

    function average() external view returns (uint256) {
        // the total divided by the number of entries: use getTotal()
    }

    // Anyone can call this at the moment. Only this contract, and contracts that inherit
    // from it, should be able to.
    function _record(uint256 amount) public {
        total += amount;
        entries += 1;
    }
}
