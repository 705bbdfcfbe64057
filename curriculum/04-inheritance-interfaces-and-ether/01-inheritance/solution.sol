// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Account {
    string public name;
    uint256 public points;

    constructor(string memory name_) {
        name = name_;
    }

    function reward(uint256 amount) public virtual {
        points += amount;
    }

    function level() public view virtual returns (uint256) {
        return points / 100;
    }
}

contract PremiumAccount is Account {
    uint256 public multiplier;

    constructor(string memory name_, uint256 multiplier_) Account(name_) {
        multiplier = multiplier_;
    }

    function reward(uint256 amount) public override {
        super.reward(amount * multiplier);
    }

    function level() public view override returns (uint256) {
        return super.level() + 1;
    }
}
