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
        // revert NonexistentToken(tokenId) if nobody owns it
        return _owners[tokenId];
    }

    function balanceOf(address owner) external view returns (uint256) {
        // revert InvalidOwner(owner) for the zero address
        return _balances[owner];
    }

    function mint(address to, uint256 tokenId) external {
        // only the minter; refuse the zero address and ids that already exist;
        // record the owner, count the token, emit Transfer(address(0), to, tokenId)
    }
}
