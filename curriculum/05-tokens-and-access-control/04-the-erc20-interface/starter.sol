// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC20 {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

interface IERC20Metadata is IERC20 {
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
}

// Replace every stub. A public state variable can stand in for a view function:
// delete the stub and declare the variable instead.
contract CourseToken is IERC20Metadata {
    constructor(string memory name_, string memory symbol_, uint256 initialSupply) {
        // store the name and symbol, give initialSupply to the deployer
    }

    function name() external view returns (string memory) {}

    function symbol() external view returns (string memory) {}

    function decimals() external view returns (uint8) {}

    function totalSupply() external view returns (uint256) {}

    function balanceOf(address account) external view returns (uint256) {}

    function allowance(address owner, address spender) external view returns (uint256) {}

    function transfer(address to, uint256 value) external returns (bool) {}

    function approve(address spender, uint256 value) external returns (bool) {}

    function transferFrom(address from, address to, uint256 value) external returns (bool) {}
}
