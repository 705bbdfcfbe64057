// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TipJar {
    event Tipped(address indexed from, uint256 amount, string note);

    mapping(address => uint256) public tippedBy;

    // payable: this function accepts ether, and msg.value says how much came with the call
    function tip(string calldata note) external payable {
        // refuse a tip of zero ("send some ether"), credit the sender, emit Tipped
    }

    // credit plain ether transfers too, with an empty note
    // receive() ...

    function balance() external view returns (uint256) {
        // all the ether this contract holds
    }
}
