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


def test_with_a_reference_the_tests_are_compiled_once_and_the_verdicts_are_the_same():
    direct = run(COUNTER_THAT_FORGETS, COUNTER_TESTS)
    prebuilt = run_tests(
        source=COUNTER_THAT_FORGETS, tests=COUNTER_TESTS, requester=None, reference=COUNTER
    )
    assert prebuilt.path == "prebuilt" and direct.path == ""
    assert prebuilt.tests == direct.tests


@pytest.mark.parametrize(
    ("tests", "source"),
    [
        # Inheriting the contract would compile the reference's code into the tests.
        (TEST_HEADER + "contract Harness is Counter {}\ncontract CounterTest is Test {\n"
         "    function test_harness_counts() public { Harness h = new Harness(); h.increment();"
         " assertEq(h.count(), 1, \"count\"); }\n}\n", COUNTER_THAT_FORGETS),
        # A learner's contract the tests cannot compile against: the compiler's words, not a
        # revert from a missing function.
        (COUNTER_TESTS, COUNTER.replace("function increment()", "function bump()")),
    ],
    ids=["inherits", "another interface"],
)  # fmt: skip
def test_the_full_compile_is_used_where_the_reference_would_change_the_verdict(tests, source):
    prebuilt = run_tests(source=source, tests=tests, requester=None, reference=COUNTER)
    direct = run(source, tests)
    assert prebuilt.path == "" and prebuilt.tests == direct.tests
    assert prebuilt.test_errors == direct.test_errors and not prebuilt.passed


WITHDRAW_TESTS = (
    TEST_HEADER
    + """
contract VaultTest is Test {
    Vault vault;
    address alice = makeAddr("alice");

    function setUp() public {
        vault = new Vault();
        vm.deal(alice, 3 ether);
        vm.prank(alice);
        vault.deposit{value: 2 ether}();
    }

    function test_withdrawing_pays_the_depositor() public {
        vm.prank(alice);
        vault.withdraw(2 ether);
        assertEq(alice.balance, 3 ether, "alice's wallet after withdrawing");
    }
}
"""
)


def test_a_learners_contract_cannot_reach_the_cheatcodes_by_delegatecall():
    # It withdraws nothing, and tries to make the wallet look paid with vm.deal instead.
    cheating = VAULT.replace(
        """        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");""",
        """        address vm = 0x7109709ECfa91a80626fF3989D68f67F5b1DD12D;
        (bool ok, ) = vm.delegatecall(abi.encodeWithSignature(
            "deal(address,uint256)", msg.sender, msg.sender.balance + amount));
        require(ok, "the cheatcode refused");""",
    )
    result = run(cheating, WITHDRAW_TESTS)
    assert not result.passed
    assert result.tests[0].message == "the cheatcode refused"
    assert run(VAULT, WITHDRAW_TESTS).passed


def test_a_learners_contract_cannot_call_back_into_a_test_to_swap_its_expectation():
    tests = (
        TEST_HEADER
        + """
contract CounterTest is Test {
    Counter counter;
    function setUp() public { counter = new Counter(); }
    function test_decrement_at_zero_reverts() public {
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        counter.decrement();
    }
}
"""
    )
    # decrement() does not revert: it calls the test back, whose own expectRevert would then be
    # spent by its inner call.
    sneaky = (
        HEADER
        + """
interface ITheTest { function test_decrement_at_zero_reverts() external; }
contract Counter {
    uint256 public count;
    function decrement() external {
        if (count == 0) { ITheTest(msg.sender).test_decrement_at_zero_reverts(); return; }
        count -= 1;
    }
}
"""
    )
    honest = HEADER + "contract Counter { uint256 public count; "
    honest += "function decrement() external { count -= 1; } }\n"
    assert not run(sneaky, tests).passed
    assert run(honest, tests).passed


def test_a_huge_revert_reason_is_cut_short():
    shouting = COUNTER.replace("count += 1;", "revert(string(new bytes(300000)));")
    messages = [test.message for test in run(shouting, COUNTER_TESTS).tests if not test.passed]
    assert messages and all(len(message) <= 501 for message in messages)


def test_sending_more_ether_than_the_sender_has_is_explained():
    tests = (
        TEST_HEADER
        + """
contract VaultTest is Test {
    Vault vault;
    function setUp() public { vault = new Vault(); }
    function test_a_deposit_from_a_poor_address() public {
        vm.prank(makeAddr("poor"));
        vault.deposit{value: 1 ether}();
    }
}
"""
    )
    message = run(VAULT, tests).tests[0].message
    assert message.startswith("a call sent more ether than its sender had")


def test_a_large_learner_contract_is_not_blamed_on_the_exercise():
    many = "\n".join(
        f"    function f{i}(uint256 x) external pure returns (uint256) {{ return x + {i}; }}"
        for i in range(200)
    )
    big = COUNTER.replace("    uint256 public count;", "    uint256 public count;\n" + many)
    result = run(big, COUNTER_TESTS)
    assert not result.author_error and not result.problem, result.problem
    assert result.passed


def test_stripping_comments_and_strings_keeps_code_and_is_not_fooled():
    source = COUNTER.replace(
        "contract Counter",
        '/* import "x"; */ // import "y";\nstring constant S = "import";\ncontract Counter',
    )
    assert run(source, COUNTER_TESTS).passed  # nothing in a comment or a string is an import
