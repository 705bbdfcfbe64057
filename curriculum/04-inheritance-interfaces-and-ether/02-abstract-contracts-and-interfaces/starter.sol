// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IShape {
    function area() external view returns (uint256);
    function sides() external view returns (uint256);
}

abstract contract Shape is IShape {
    function area() public view virtual returns (uint256);
    function sides() public view virtual returns (uint256);

    function isBiggerThan(IShape other) external view returns (bool) {
        return area() > other.area();
    }
}

contract Rectangle is Shape {
    uint256 public immutable width;
    uint256 public immutable height;

    constructor(uint256 width_, uint256 height_) {
        width = width_;
        height = height_;
    }

    function area() public view override returns (uint256) {
        // width times height
    }

    function sides() public pure override returns (uint256) {
        // how many sides does a rectangle have?
    }
}

contract Triangle is Shape {
    uint256 public immutable base;
    uint256 public immutable height;

    constructor(uint256 base_, uint256 height_) {
        base = base_;
        height = height_;
    }

    function area() public view override returns (uint256) {
        // half of base times height, rounded down
    }

    function sides() public pure override returns (uint256) {
        // and a triangle?
    }
}
