// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Splitter {
    error NothingToWithdraw();
    error PaymentFailed();

    event Credited(address indexed payee, uint256 amount);
    event Withdrawn(address indexed payee, uint256 amount);

    mapping(address => uint256) public owed;

    function split(address a, address b) external payable {
        // credit half of msg.value to a and the rest to b (emit Credited for each);
        // do not send any ether here
    }

    function withdraw() external {
        // revert with NothingToWithdraw() if the caller is owed nothing;
        // zero their credit, then send it with call, revert with PaymentFailed() if that fails;
        // emit Withdrawn
    }
}
