// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// The exercise tests' base contract, in the spirit of forge-std: `vm` cheatcodes and assertions.
// The runner (compiler/exercise.cjs) implements `vm` inside the EVM, so an assertion's message is
// written by the runner with the values formatted (`count: got 0, expected 1`).
interface Vm {
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function deal(address account, uint256 newBalance) external;
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function label(address account, string calldata name) external;
    function expectRevert() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 selector) external;
    function expectPartialRevert(bytes4 selector) external;
    function expectEmit() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter)
        external;

    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
    function assertEq(uint256 actual, uint256 expected, string calldata message) external pure;
    function assertEq(int256 actual, int256 expected, string calldata message) external pure;
    function assertEq(address actual, address expected, string calldata message) external pure;
    function assertEq(bool actual, bool expected, string calldata message) external pure;
    function assertEq(bytes32 actual, bytes32 expected, string calldata message) external pure;
    function assertEq(string calldata actual, string calldata expected, string calldata message) external pure;
    function assertEq(bytes calldata actual, bytes calldata expected, string calldata message) external pure;
    function assertNotEq(uint256 actual, uint256 unexpected, string calldata message) external pure;
    function assertNotEq(address actual, address unexpected, string calldata message) external pure;
    function assertGt(uint256 actual, uint256 bound, string calldata message) external pure;
    function assertGe(uint256 actual, uint256 bound, string calldata message) external pure;
    function assertLt(uint256 actual, uint256 bound, string calldata message) external pure;
    function assertLe(uint256 actual, uint256 bound, string calldata message) external pure;
}

abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// An address named for the messages: `makeAddr("alice")` shows as alice.
    function makeAddr(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(bytes(name)))));
        vm.label(account, name);
    }

    function fail(string memory message) internal pure {
        vm.assertTrue(false, message);
    }

    function assertTrue(bool condition) internal pure { vm.assertTrue(condition, ""); }
    function assertTrue(bool condition, string memory message) internal pure { vm.assertTrue(condition, message); }
    function assertFalse(bool condition) internal pure { vm.assertFalse(condition, ""); }
    function assertFalse(bool condition, string memory message) internal pure { vm.assertFalse(condition, message); }

    function assertEq(uint256 a, uint256 b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(uint256 a, uint256 b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertEq(int256 a, int256 b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(int256 a, int256 b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertEq(address a, address b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(address a, address b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertEq(bool a, bool b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(bool a, bool b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertEq(bytes32 a, bytes32 b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(bytes32 a, bytes32 b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertEq(string memory a, string memory b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(string memory a, string memory b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertEq(bytes memory a, bytes memory b) internal pure { vm.assertEq(a, b, ""); }
    function assertEq(bytes memory a, bytes memory b, string memory m) internal pure { vm.assertEq(a, b, m); }
    function assertNotEq(uint256 a, uint256 b) internal pure { vm.assertNotEq(a, b, ""); }
    function assertNotEq(uint256 a, uint256 b, string memory m) internal pure { vm.assertNotEq(a, b, m); }
    function assertNotEq(address a, address b) internal pure { vm.assertNotEq(a, b, ""); }
    function assertNotEq(address a, address b, string memory m) internal pure { vm.assertNotEq(a, b, m); }
    function assertGt(uint256 a, uint256 b) internal pure { vm.assertGt(a, b, ""); }
    function assertGt(uint256 a, uint256 b, string memory m) internal pure { vm.assertGt(a, b, m); }
    function assertGe(uint256 a, uint256 b) internal pure { vm.assertGe(a, b, ""); }
    function assertGe(uint256 a, uint256 b, string memory m) internal pure { vm.assertGe(a, b, m); }
    function assertLt(uint256 a, uint256 b) internal pure { vm.assertLt(a, b, ""); }
    function assertLt(uint256 a, uint256 b, string memory m) internal pure { vm.assertLt(a, b, m); }
    function assertLe(uint256 a, uint256 b) internal pure { vm.assertLe(a, b, ""); }
    function assertLe(uint256 a, uint256 b, string memory m) internal pure { vm.assertLe(a, b, m); }
}
