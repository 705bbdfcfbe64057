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

    // pass name_ to Account's constructor instead of "", and store multiplier_
    constructor(string memory name_, uint256 multiplier_) Account("") {}

    function reward(uint256 amount) public override {
        // earn amount * multiplier points through Account's reward
    }

    function level() public view override returns (uint256) {
        // one level above Account's
    }
}
