// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Collectible {
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    error NotMinter(address caller);
    error NonexistentToken(uint256 tokenId);
    error AlreadyMinted(uint256 tokenId);
    error InvalidReceiver(address receiver);
    error InvalidOwner(address owner);

    address public immutable minter;
    mapping(uint256 => address) private _owners;
    mapping(address => uint256) private _balances;

    constructor() {
        minter = msg.sender;
    }

    function ownerOf(uint256 tokenId) public view returns (address) {
        address owner = _owners[tokenId];
        if (owner == address(0)) revert NonexistentToken(tokenId);
        return owner;
    }

    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert InvalidOwner(owner);
        return _balances[owner];
    }

    function mint(address to, uint256 tokenId) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        if (to == address(0)) revert InvalidReceiver(to);
        if (_owners[tokenId] != address(0)) revert AlreadyMinted(tokenId);
        _owners[tokenId] = to;
        _balances[to] += 1;
        emit Transfer(address(0), to, tokenId);
    }
}
