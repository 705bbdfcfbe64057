// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TipJar {
    event Tipped(address indexed from, uint256 amount, string note);

    mapping(address => uint256) public tippedBy;

    function tip(string calldata note) external payable {
        require(msg.value > 0, "send some ether");
        tippedBy[msg.sender] += msg.value;
        emit Tipped(msg.sender, msg.value, note);
    }

    receive() external payable {
        tippedBy[msg.sender] += msg.value;
        emit Tipped(msg.sender, msg.value, "");
    }

    function balance() external view returns (uint256) {
        return address(this).balance;
    }
}
