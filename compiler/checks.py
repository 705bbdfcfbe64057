"""Running a test suite against a learner's source: input checks, budget, cache, pool.

The tests are a Foundry-style Solidity file; compiler/exercise.cjs compiles it with the source and
runs every test in the EVM, inside the same worker processes (and under the same time and memory
limits) as compiles. This module knows nothing of lessons: `courses.exercises` says which tests a
lesson has and what a pass means.
"""

import contextlib
import functools
import hashlib
import re
import time
from dataclasses import dataclass, field

from django.conf import settings

from compiler import cache, ratelimit
from compiler.backend import get_pool
from compiler.pool import CompilerCrashed, CompileTimedOut
from compiler.services import (
    SOURCE_NAME,
    Attempt,
    InvalidSource,
    attempt,
    check_source,
    diagnostic,
    refusal,
    solc_version,
)
from core import stats

TEST_SOURCE_NAME = "Exercise.t.sol"
MAX_TESTS_BYTES = 100 * 1024
RUNNER_FILES = ("exercise.cjs", "prebuilt.cjs", "testkit/Test.sol", "worker.cjs")


@dataclass(frozen=True)
class TestOutcome:
    name: str
    passed: bool
    gas: int
    message: str = ""
    kind: str = ""

    @property
    def sentence(self) -> str:
        """test_increment_adds_one_to_count -> "increment adds one to count"."""
        words = re.sub(r"^test_?", "", self.name)
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", words).replace("_", " ").strip()
        return words[:1].lower() + words[1:] if words else self.name


@dataclass(frozen=True)
class TestRun:
    """One run of a suite: either a `problem` (nothing ran), compile `errors` in the learner's
    file, `test_errors` (the tests could not use the learner's contract), or the `tests`."""

    tests: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    test_errors: list = field(default_factory=list)
    problem: str = ""
    author_error: bool = False
    compiler: str = ""
    # "prebuilt" when the tests were compiled once against the reference (compiler/prebuilt.cjs)
    path: str = ""
    cached: bool = False
    ms: float = 0.0

    @property
    def compiled(self) -> bool:
        return not self.problem and not any(e["severity"] == "error" for e in self.errors)

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(test.passed for test in self.tests)

    @property
    def passed_count(self) -> int:
        return sum(test.passed for test in self.tests)

    @property
    def gas(self) -> int:
        """Gas of the whole suite: what a passing solution is compared by."""
        return sum(test.gas for test in self.tests)

    def as_json(self) -> dict:
        return {
            "tests": [test.__dict__ for test in self.tests],
            "errors": self.errors,
            "test_errors": self.test_errors,
            "problem": self.problem,
            "author_error": self.author_error,
            "compiler": self.compiler,
            "path": self.path,
        }


@functools.cache
def runner_version() -> str:
    """solc's version and a hash of the runner's own files: part of every cached result's key."""
    digest = hashlib.sha256()
    for name in RUNNER_FILES:
        digest.update((settings.BASE_DIR / "compiler" / name).read_bytes())
    evm = settings.BASE_DIR / "node_modules" / "@ethereumjs" / "evm" / "package.json"
    with contextlib.suppress(OSError):
        digest.update(evm.read_bytes())
    return f"{solc_version()}+{digest.hexdigest()[:16]}"


def run_tests(*, source, tests: str, requester: str | None, reference: str = "") -> TestRun:
    """Runs `tests` against `source`, from the cache when the same pair ran before.

    `reference` is the exercise's reference solution, when there is one: the runner then compiles
    the tests once against it and each learner's file alone (compiler/prebuilt.cjs), the same
    verdict for about half the compile. It never reaches a learner.

    Raises InvalidSource, ratelimit.RateLimited, CompilerBusy or CompilerUnavailable, like
    compiles; a timeout or a crash is a TestRun with a problem, never cached. Every call is
    counted by its outcome (core.stats.record_outcome).
    """
    started = time.perf_counter()
    try:
        run, outcome = _run_tests(
            source=source, tests=tests, requester=requester, reference=reference
        )
    except Exception as exc:
        stats.record_outcome("check", refusal(exc), seconds=time.perf_counter() - started)
        raise
    stats.record_outcome("check", outcome, seconds=time.perf_counter() - started)
    return run


def _run_tests(*, source, tests, requester, reference) -> tuple[TestRun, str]:
    started = time.perf_counter()
    check_source(source)
    if not isinstance(tests, str) or not tests.strip():
        raise InvalidSource("the exercise has no tests")
    if len(tests.encode()) > MAX_TESTS_BYTES:
        raise InvalidSource(f"the tests are over {MAX_TESTS_BYTES // 1024} KB")
    if requester is not None:
        ratelimit.charge(requester)
    timeout = settings.EXERCISE_TIMEOUT_SECONDS
    request = {
        "source": source,
        "tests": tests,
        "reference": reference if isinstance(reference, str) else "",
        "limits": {"gas_per_test": settings.EXERCISE_GAS_PER_TEST, "seconds": timeout * 0.8},
    }
    version = runner_version()
    key_material = {"check": request}
    stored = cache.get_result(key_material, version)
    if stored is not None:
        return _from_json(stored, cached=True, ms=_ms_since(started)), "cached"
    try:
        reply = get_pool().check(
            request, timeout=timeout, queue_timeout=settings.COMPILER_QUEUE_TIMEOUT_SECONDS
        )
    except CompileTimedOut:
        if requester is not None:
            ratelimit.spend_all(requester)
        return TestRun(
            problem=f"The tests took longer than {timeout:g} s and were stopped. Look for a loop "
            "that never ends, or one that runs far more times than it needs to.",
            compiler=solc_version(),
            ms=_ms_since(started),
        ), "timeout"
    except CompilerCrashed:
        # Like a timeout: a source that takes a worker down costs the caller the minute's budget.
        if requester is not None:
            ratelimit.spend_all(requester)
        return TestRun(
            problem="The test run stopped unexpectedly on this source. Try again; if it happens "
            "again, simplify the contract.",
            compiler=solc_version(),
            ms=_ms_since(started),
        ), "crashed"
    run = result_from_output(
        reply.output, source=source, tests=tests, version=reply.version or version
    )
    # A test cut off by the check's time limit says something of the moment, not of the source.
    if not any(test.kind == "timeout" for test in run.tests):
        cache.store_result(key_material, version, run.as_json())
    return TestRun(**{**run.__dict__, "ms": _ms_since(started)}), (
        "passed" if run.passed else "failed"
    )


def attempt_tests(*, source, tests: str, requester: str | None, reference: str = "") -> Attempt:
    """run_tests for callers that answer a request: the failure says what to answer."""
    return attempt(
        lambda: run_tests(source=source, tests=tests, requester=requester, reference=reference)
    )


def result_from_output(output: dict, *, source: str, tests: str, version: str) -> TestRun:
    compiler = version.split("+")[0]
    if output.get("problem"):
        return TestRun(
            problem=output["problem"],
            author_error=bool(output.get("author_error")),
            compiler=compiler,
        )
    source_bytes = source.encode()
    errors, test_errors = [], []
    for error in output.get("compile_errors", []):
        where = (error.get("sourceLocation") or {}).get("file")
        if where == SOURCE_NAME:
            errors.append(diagnostic(error, source_bytes))
        elif error.get("severity") == "error":
            test_errors.append(_test_error(error, tests))
    author_error = False
    if test_errors and not any(e["severity"] == "error" for e in errors):
        # The learner's file compiles on its own; the tests may still not compile against it
        # (a missing function, a wrong signature), which is the learner's to fix, unless the
        # error lies in the test kit.
        author_error = any(
            (e.get("sourceLocation") or {}).get("file") not in (SOURCE_NAME, TEST_SOURCE_NAME)
            for e in output.get("compile_errors", [])
            if e.get("severity") == "error"
        )
    tests = [
        TestOutcome(
            name=str(test.get("name", "")),
            passed=bool(test.get("passed")),
            gas=int(test.get("gas") or 0),
            message=str(test.get("message", "")),
            kind=str(test.get("kind", "")),
        )
        for test in output.get("tests") or []
    ]
    return TestRun(
        tests=tests,
        errors=errors,
        test_errors=test_errors,
        author_error=author_error,
        compiler=compiler,
        path=str(output.get("path") or ""),
    )


def _test_error(error: dict, tests: str) -> str:
    """An error the tests met, with the code of theirs it is about: `counter.increment()`."""
    message = f"{error.get('type', 'Error')}: {error.get('message', '')}"
    location = error.get("sourceLocation") or {}
    start, end = location.get("start"), location.get("end")
    if location.get("file") == TEST_SOURCE_NAME and isinstance(start, int) and isinstance(end, int):
        code = tests.encode()[start:end].decode(errors="replace").strip()
        if 0 < len(code) <= 120:
            message += f" (in the tests: {code})"
    return message


def _from_json(stored: dict, *, cached: bool, ms: float) -> TestRun:
    return TestRun(
        tests=[TestOutcome(**test) for test in stored["tests"]],
        errors=stored["errors"],
        test_errors=stored["test_errors"],
        problem=stored["problem"],
        author_error=stored["author_error"],
        compiler=stored["compiler"],
        path=stored.get("path", ""),
        cached=cached,
        ms=ms,
    )


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
