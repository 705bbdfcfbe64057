// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Ledger {
    uint256 private total;
    uint256 public entries;

    function add(uint256 amount) external {
        _record(amount);
    }

    function getTotal() public view returns (uint256) {
        return total;
    }

    function average() external view returns (uint256) {
        return getTotal() / entries;
    }

    function _record(uint256 amount) internal {
        total += amount;
        entries += 1;
    }
}
