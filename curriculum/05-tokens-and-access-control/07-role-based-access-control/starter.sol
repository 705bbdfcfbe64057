// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract RoleToken {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    error MissingRole(address account, bytes32 role);

    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    mapping(bytes32 => mapping(address => bool)) private _roles;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    modifier onlyRole(bytes32 role) {
        // revert MissingRole(msg.sender, role) unless the caller has the role
        _;
    }

    constructor() {
        // the deployer must hold DEFAULT_ADMIN_ROLE
    }

    function hasRole(bytes32 role, address account) public view returns (bool) {
    }

    function grantRole(bytes32 role, address account) external {
        // admins only; set the role and emit RoleGranted if the account did not have it
    }

    function revokeRole(bytes32 role, address account) external {
        // admins only; clear the role and emit RoleRevoked if the account had it
    }

    function mint(address to, uint256 amount) external {
        // minters only
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }
}
