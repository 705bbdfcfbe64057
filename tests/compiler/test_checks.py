"""The exercise runner: tests in a real EVM against contracts compiled by the real solc."""

import pytest

from compiler.checks import run_tests
from compiler.services import InvalidSource
from tests.compiler.sources import COUNTER, COUNTER_TESTS, COUNTER_THAT_FORGETS

pytestmark = [pytest.mark.usefixtures("compiler"), pytest.mark.django_db]

HEADER = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\n"
TEST_HEADER = HEADER + 'import {Test} from "forge-std/Test.sol";\nimport "Contract.sol";\n'

VAULT = (
    HEADER
    + """
contract Vault {
    error NotOwner(address caller);
    address public owner = msg.sender;
    mapping(address => uint256) public balanceOf;

    function deposit() external payable { balanceOf[msg.sender] += msg.value; }

    function withdraw(uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "not enough deposited");
        balanceOf[msg.sender] -= amount;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");
    }

    function sweep() external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
    }

    function ratio(uint256 a, uint256 b) external pure returns (uint256) { return a / b; }
}
"""
)

VAULT_TESTS = (
    TEST_HEADER
    + """
contract VaultTest is Test {
    Vault vault;
    address alice = makeAddr("alice");

    function setUp() public {
        vault = new Vault();
        vm.deal(alice, 3 ether);
    }

    function test_a_deposit_is_credited_to_the_sender() public {
        vm.prank(alice);
        vault.deposit{value: 2 ether}();
        assertEq(vault.balanceOf(alice), 2 ether, "alice's deposit");
        assertEq(alice.balance, 1 ether, "alice's wallet after depositing");
    }

    function test_withdrawing_more_than_deposited_reverts() public {
        vm.prank(alice);
        vault.withdraw(1);
    }

    function test_only_the_owner_may_sweep() public {
        vm.prank(alice);
        vault.sweep();
    }

    function test_a_ratio_of_zero_panics() public view {
        vault.ratio(1, 0);
    }
}
"""
)


def run(source, tests=VAULT_TESTS):
    return run_tests(source=source, tests=tests, requester=None)


def by_name(result):
    return {test.name: test for test in result.tests}


def test_a_correct_contract_passes_every_test_with_its_gas():
    result = run(COUNTER, COUNTER_TESTS)
    assert result.passed and result.passed_count == 3
    assert [test.name for test in result.tests] == [
        "test_a_new_counter_starts_at_zero",
        "test_increment_adds_one_to_count",
        "test_increment_announces_who_counted",
    ]  # in the order they are written
    assert all(test.gas > 0 for test in result.tests) and result.gas == sum(
        test.gas for test in result.tests
    )
    assert result.tests[1].sentence == "increment adds one to count"


def test_a_failing_assertion_says_what_it_got_and_expected():
    result = run(COUNTER_THAT_FORGETS, COUNTER_TESTS)
    tests = by_name(result)
    assert not result.passed and tests["test_a_new_counter_starts_at_zero"].passed
    assert tests["test_increment_adds_one_to_count"].message == (
        "count after one increment: got 0, expected 1"
    )
    assert not tests["test_increment_announces_who_counted"].passed
    assert "Incremented(address,uint256)" in tests["test_increment_announces_who_counted"].message


def test_a_require_reason_a_custom_error_and_a_panic_are_decoded():
    tests = by_name(run(VAULT))
    assert tests["test_a_deposit_is_credited_to_the_sender"].passed
    assert tests["test_withdrawing_more_than_deposited_reverts"].message == "not enough deposited"
    sweep = tests["test_only_the_owner_may_sweep"]
    assert sweep.kind == "custom-error"
    assert sweep.message.startswith("NotOwner(caller: alice (0x")
    ratio = tests["test_a_ratio_of_zero_panics"]
    assert ratio.kind == "panic" and ratio.message == "panic 0x12: division or modulo by zero"


def test_expect_revert_passes_on_the_expected_reason_and_fails_on_another():
    tests = (
        TEST_HEADER
        + """
contract VaultTest is Test {
    Vault vault;
    function setUp() public { vault = new Vault(); }
    function test_right_reason() public {
        vm.expectRevert("not enough deposited");
        vault.withdraw(1);
    }
    function test_right_error() public {
        vm.expectRevert(abi.encodeWithSelector(Vault.NotOwner.selector, address(0xBEEF)));
        vm.prank(address(0xBEEF));
        vault.sweep();
    }
    function test_wrong_reason() public {
        vm.expectRevert("something else");
        vault.withdraw(1);
    }
    function test_no_revert_at_all() public {
        vm.expectRevert();
        vault.deposit();
    }
}
"""
    )
    result = by_name(run(VAULT, tests))
    assert result["test_right_reason"].passed and result["test_right_error"].passed
    assert result["test_wrong_reason"].message == (
        "expected the call to revert with something else, but it reverted with not enough deposited"
    )
    assert result["test_no_revert_at_all"].message == (
        "expected the call to revert, but it succeeded"
    )


def test_an_endless_loop_runs_out_of_gas_with_a_plain_message():
    looping = VAULT.replace(
        "function deposit() external payable { balanceOf[msg.sender] += msg.value; }",
        "function deposit() external payable { while (true) { balanceOf[msg.sender] += 1; } }",
    )
    deposit = by_name(run(looping))["test_a_deposit_is_credited_to_the_sender"]
    assert deposit.kind == "out-of-gas"
    assert "ran out of gas" in deposit.message and "a loop that never ends" in deposit.message


def test_a_check_past_its_time_limit_is_stopped_and_says_so(settings):
    settings.EXERCISE_TIMEOUT_SECONDS = 1
    settings.EXERCISE_GAS_PER_TEST = 10_000_000_000
    looping = VAULT.replace(
        "function deposit() external payable { balanceOf[msg.sender] += msg.value; }",
        "function deposit() external payable { while (true) { balanceOf[msg.sender] += 1; } }",
    )
    result = run(looping)
    assert result.problem.startswith("The tests took longer than 1 s and were stopped.")
    assert not result.passed
    # The worker was replaced; the next check still works (no cached timeout).
    settings.EXERCISE_TIMEOUT_SECONDS = 5
    settings.EXERCISE_GAS_PER_TEST = 5_000_000
    assert run(COUNTER, COUNTER_TESTS).passed


def test_compile_errors_in_the_learners_file_point_at_its_lines():
    result = run(COUNTER.replace("count += 1;", "count += 1"), COUNTER_TESTS)
    assert not result.compiled and not result.tests
    assert result.errors[0]["line"] == 10 and "Expected ';'" in result.errors[0]["message"]


def test_a_contract_without_what_the_tests_call_gets_a_plain_explanation():
    result = run(COUNTER.replace("function increment()", "function bump()"), COUNTER_TESTS)
    assert result.compiled and not result.tests and not result.author_error
    assert any('"increment" not found' in message for message in result.test_errors)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        (COUNTER.replace("contract Counter", 'import "Exercise.t.sol";\ncontract Counter'),
         "Your contract imports another file."),
        (COUNTER + "\ncontract CounterTest {}\n", "Your code declares CounterTest"),
        (COUNTER + "\ncontract Test {}\n", "Your code declares Test"),
    ],
)  # fmt: skip
def test_imports_and_the_tests_names_are_refused_in_plain_words(source, says):
    result = run(source, COUNTER_TESTS)
    assert result.problem.startswith(says) and not result.passed


def test_a_public_library_function_gets_a_plain_message_and_the_worker_survives():
    source = (
        HEADER
        + """
library Twice { function times(uint256 x) public pure returns (uint256) { return 2 * x; } }
contract Counter {
    uint256 public count;
    event Incremented(address indexed by, uint256 count);
    function increment() external {
        count = Twice.times(count + 1) / 2;
        emit Incremented(msg.sender, count);
    }
}
"""
    )
    result = run(source, COUNTER_TESTS)
    assert result.problem.startswith("Your contract calls a public or external library function")
    assert run(COUNTER, COUNTER_TESTS).passed


def test_a_pranked_deployment_is_made_by_the_pranked_address():
    source = HEADER + "contract Owned { address public owner = msg.sender; }\n"
    tests = (
        TEST_HEADER
        + """
contract OwnedTest is Test {
    function test_alice_deploys_and_owns_it() public {
        address alice = makeAddr("alice");
        vm.prank(alice);
        Owned first = new Owned();
        vm.prank(alice);
        Owned second = new Owned();
        assertEq(first.owner(), alice, "owner of the first");
        assertEq(second.owner(), alice, "owner of the second");
        assertNotEq(address(first), address(second), "the two addresses");
    }
    function test_a_plain_deployment_is_owned_by_the_test() public {
        assertEq(new Owned().owner(), address(this), "owner");
    }
}
"""
    )
    assert run(source, tests).passed


def test_a_learners_contract_cannot_use_the_cheatcodes():
    cheating = COUNTER.replace(
        "count += 1;",
        "count += 1;\n        (bool ok, ) = address(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D)"
        '.call(abi.encodeWithSignature("deal(address,uint256)", msg.sender, 1 ether));\n'
        '        require(ok, "the cheatcode refused");',
    )
    tests = by_name(run(cheating, COUNTER_TESTS))
    assert tests["test_increment_adds_one_to_count"].message == "the cheatcode refused"


def test_self_destruct_and_precompiles_behave_as_on_chain():
    source = (
        HEADER
        + """
contract Tricky {
    function hash(bytes memory data) external view returns (bytes32 digest) {
        (bool ok, bytes memory out) = address(2).staticcall(data);
        require(ok, "sha256 failed");
        digest = abi.decode(out, (bytes32));
    }
    function destroy() external { selfdestruct(payable(msg.sender)); }
}
"""
    )
    tests = (
        TEST_HEADER
        + """
contract TrickyTest is Test {
    Tricky tricky;
    function setUp() public { tricky = new Tricky(); }
    function test_the_sha256_precompile_answers() public view {
        assertEq(tricky.hash("abc"), sha256("abc"), "sha256 through the precompile");
    }
    function test_self_destruct_leaves_the_code_after_deployment() public {
        tricky.destroy();
        assertGt(address(tricky).code.length, 0, "code after selfdestruct (EIP-6780)");
    }
}
"""
    )
    result = run(source, tests)
    assert result.passed, result.tests


def test_results_are_cached_by_source_and_tests():
    first = run(COUNTER, COUNTER_TESTS)
    second = run(COUNTER, COUNTER_TESTS)
    other = run(COUNTER_THAT_FORGETS, COUNTER_TESTS)
    assert not first.cached and second.cached and not other.cached
    assert second.tests == first.tests


def test_a_check_without_tests_or_with_huge_tests_is_refused():
    with pytest.raises(InvalidSource, match="no tests"):
        run(COUNTER, "   ")
    with pytest.raises(InvalidSource, match="over 100 KB"):
        run(COUNTER, "//" + "x" * 110_000)
