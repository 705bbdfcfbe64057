// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import "Contract.sol";

// A shape the exercise knows nothing about: it only implements the interface.
contract FixedShape is IShape {
    uint256 public area;

    constructor(uint256 area_) {
        area = area_;
    }

    function sides() external pure returns (uint256) {
        return 0;
    }
}

contract ShapesTest is Test {
    Rectangle rectangle;
    Triangle triangle;

    function setUp() public {
        rectangle = new Rectangle(3, 4);
        triangle = new Triangle(5, 3);
    }

    function test_a_rectangle_has_width_times_height_area_and_four_sides() public view {
        assertEq(rectangle.area(), 12, "area of a 3 by 4 rectangle");
        assertEq(rectangle.sides(), 4, "sides of a rectangle");
    }

    function test_a_triangle_has_half_base_times_height_area_and_three_sides() public view {
        assertEq(triangle.area(), 7, "area of a triangle with base 5 and height 3 (15 / 2, rounded down)");
        assertEq(triangle.sides(), 3, "sides of a triangle");
    }

    function test_both_shapes_can_be_used_through_IShape() public view {
        IShape[2] memory shapes = [IShape(rectangle), IShape(triangle)];
        assertEq(shapes[0].area() + shapes[1].area(), 19, "total area of the rectangle and the triangle");
        assertEq(shapes[0].sides() + shapes[1].sides(), 7, "total sides of the rectangle and the triangle");
    }

    function test_isBiggerThan_compares_the_areas_of_different_shapes() public {
        assertTrue(rectangle.isBiggerThan(triangle), "is a 12 area rectangle bigger than a 7 area triangle");
        assertFalse(triangle.isBiggerThan(rectangle), "is the triangle bigger than the rectangle");
        Triangle big = new Triangle(10, 10);
        assertTrue(big.isBiggerThan(rectangle), "is a 50 area triangle bigger than the rectangle");
    }

    function test_isBiggerThan_works_with_any_contract_that_implements_IShape() public {
        assertTrue(rectangle.isBiggerThan(new FixedShape(11)), "is the 12 area rectangle bigger than area 11");
        assertFalse(rectangle.isBiggerThan(new FixedShape(12)), "is the 12 area rectangle bigger than area 12");
    }
}
