// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Collectible {
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);

    error NotMinter(address caller);
    error NonexistentToken(uint256 tokenId);
    error AlreadyMinted(uint256 tokenId);
    error InvalidReceiver(address receiver);
    error InvalidOwner(address owner);
    error NotAuthorized(address caller, uint256 tokenId);
    error WrongOwner(address from, uint256 tokenId);

    address public immutable minter;
    mapping(uint256 => address) private _owners;
    mapping(address => uint256) private _balances;
    mapping(uint256 => address) private _tokenApprovals;
    mapping(address => mapping(address => bool)) private _operatorApprovals;

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

    function approve(address to, uint256 tokenId) external {
        // only the owner or one of the owner's operators: else NotAuthorized(msg.sender, tokenId).
        // Record the approval and emit Approval(owner, to, tokenId).
    }

    function getApproved(uint256 tokenId) external view returns (address) {
        // NonexistentToken for a token that does not exist (ownerOf does that check)
    }

    function setApprovalForAll(address operator, bool approved) external {
        // record it for msg.sender and emit ApprovalForAll
    }

    function isApprovedForAll(address owner, address operator) external view returns (bool) {
    }

    function transferFrom(address from, address to, uint256 tokenId) external {
        // WrongOwner(from, tokenId) if from is not the owner, InvalidReceiver(to) for address(0),
        // NotAuthorized(msg.sender, tokenId) unless the caller is the owner, approved or an operator.
        // Then clear the approval, update both balances and the owner, emit Transfer.
    }
}
