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
        return width * height;
    }

    function sides() public pure override returns (uint256) {
        return 4;
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
        return (base * height) / 2;
    }

    function sides() public pure override returns (uint256) {
        return 3;
    }
}
