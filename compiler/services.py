"""Compiling learner code: the input checks, the caller's budget, the result cache, the pool.

Every way into the compiler (the API, a lesson's "Check my solution", a room's Compile button) goes
through `compile_source`, or `attempt_compile` for callers that answer pages rather than handle
exceptions.
"""

import functools
import json
import time
from dataclasses import dataclass, field, replace

from django.conf import settings

from compiler import cache, ratelimit
from compiler.backend import get_pool
from compiler.pool import CompilerBusy, CompilerCrashed, CompilerUnavailable, CompileTimedOut
from core import stats

MAX_SOURCE_BYTES = 100 * 1024
SOURCE_NAME = "Contract.sol"
OPTIMIZER_RUNS = 200
BUSY_RETRY_AFTER_SECONDS = 2
UNAVAILABLE_RETRY_AFTER_SECONDS = 10


class InvalidSource(ValueError):
    pass


@dataclass(frozen=True)
class CompileResult:
    ok: bool
    contracts: dict
    errors: list
    compiler: str
    cached: bool = False
    ms: float = 0.0

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "contracts": self.contracts,
            "errors": self.errors,
            "compiler": self.compiler,
            "cached": self.cached,
            "ms": self.ms,
        }

    def contract_summaries(self) -> list[dict]:
        """Per contract: its function and event names and its bytecode size, for pages."""
        return [
            {
                "name": name,
                "functions": [item["name"] for item in c["abi"] if item.get("type") == "function"],
                "events": [item["name"] for item in c["abi"] if item.get("type") == "event"],
                "bytecode_bytes": (len(c["bytecode"]) - 2) // 2,
            }
            for name, c in self.contracts.items()
        ]


@dataclass(frozen=True)
class Attempt:
    """One compile asked for by a page or the API: the result, or why there is none."""

    result: object = None  # a CompileResult, or a compiler.checks.TestRun
    problem: str = ""
    status: int = 200
    headers: dict = field(default_factory=dict)


@functools.cache
def solc_version() -> str:
    """The pinned npm solc version (package.json), part of every cache key."""
    package = settings.BASE_DIR / "node_modules" / "solc" / "package.json"
    try:
        return json.loads(package.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "unknown"


def check_source(source) -> None:
    if not isinstance(source, str):
        raise InvalidSource("source must be a string")
    try:
        size = len(source.encode())
    except UnicodeEncodeError:
        raise InvalidSource("source is not valid text") from None
    if not source.strip():
        raise InvalidSource("source is empty")
    if size > MAX_SOURCE_BYTES:
        raise InvalidSource(f"source is over {MAX_SOURCE_BYTES // 1024} KB")


def standard_input(source: str, *, optimize: bool) -> dict:
    return {
        "language": "Solidity",
        "sources": {SOURCE_NAME: {"content": source}},
        "settings": {
            "optimizer": {"enabled": optimize, "runs": OPTIMIZER_RUNS},
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}},
        },
    }


def compile_source(*, source: str, optimize: bool = False, requester: str | None) -> CompileResult:
    """Compiles one Solidity file, from the cache when the same input was compiled before.

    Raises InvalidSource, ratelimit.RateLimited (when `requester` spent its budget), CompilerBusy
    or CompilerUnavailable. A timeout or a crash is a result (ok false, a clear error), not cached.
    Every call is counted by its outcome (core.stats.record_outcome).
    """
    started = time.perf_counter()
    try:
        result, outcome = _compile_source(source=source, optimize=optimize, requester=requester)
    except Exception as exc:
        stats.record_outcome("compile", refusal(exc), seconds=time.perf_counter() - started)
        raise
    stats.record_outcome("compile", outcome, seconds=time.perf_counter() - started)
    return result


def refusal(exc: Exception) -> str:
    """The outcome a compile or a test run that raised is counted under."""
    return REFUSALS.get(type(exc), "error")


def _compile_source(*, source, optimize, requester) -> tuple[CompileResult, str]:
    started = time.perf_counter()
    check_source(source)
    if requester is not None:
        ratelimit.charge(requester)
    compile_input = standard_input(source, optimize=optimize)
    version = solc_version()
    stored = cache.get_result(compile_input, version)
    if stored is not None:
        return replace(_from_stored(stored), cached=True, ms=_ms_since(started)), "cached"
    timeout = settings.COMPILER_TIMEOUT_SECONDS
    try:
        reply = get_pool().compile(
            compile_input,
            timeout=timeout,
            queue_timeout=settings.COMPILER_QUEUE_TIMEOUT_SECONDS,
        )
    except CompileTimedOut:
        if requester is not None:
            ratelimit.spend_all(requester)
        return _failure(
            f"Compilation took longer than {timeout:g} s and was stopped. "
            "Make the contract smaller or simpler and try again.",
            version=version,
            started=started,
        ), "timeout"
    except CompilerCrashed:
        # Like a timeout: a source that takes a worker down costs the caller the minute's budget.
        if requester is not None:
            ratelimit.spend_all(requester)
        return _failure(
            "The compiler stopped unexpectedly on this source. Try again; if it happens again, "
            "simplify the contract.",
            version=version,
            started=started,
        ), "crashed"
    result = result_from_output(reply.output, source=source, version=reply.version or version)
    cache.store_result(compile_input, version, result.as_json())
    return replace(result, ms=_ms_since(started)), "ok" if result.ok else "errors"


def attempt_compile(*, source, optimize: bool = False, requester: str | None) -> Attempt:
    """compile_source for callers that answer a request: the failure says what to answer."""
    return attempt(lambda: compile_source(source=source, optimize=optimize, requester=requester))


def attempt(run) -> Attempt:
    """Calls `run` (a compile or a test run) and turns the compiler's refusals into an Attempt
    that says what to answer."""
    try:
        return Attempt(result=run())
    except InvalidSource as exc:
        return Attempt(problem=f"Cannot compile: {exc}.", status=400)
    except ratelimit.RateLimited as exc:
        return Attempt(
            problem=f"Too many compiles in a minute: try again in {exc.retry_after} s.",
            status=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except CompilerBusy:
        return Attempt(
            problem="The compiler is busy: try again in a moment.",
            status=503,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    except CompilerUnavailable:
        return Attempt(
            problem="The compiler is not available right now: try again shortly.",
            status=503,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECONDS)},
        )


REFUSALS = {
    InvalidSource: "invalid",
    ratelimit.RateLimited: "rate_limited",
    CompilerBusy: "busy",
    CompilerUnavailable: "unavailable",
}


def result_from_output(output: dict, *, source: str, version: str) -> CompileResult:
    source_bytes = source.encode()
    errors = [diagnostic(error, source_bytes) for error in output.get("errors", [])]
    contracts = {
        name: {
            "abi": contract.get("abi", []),
            "bytecode": "0x" + contract.get("evm", {}).get("bytecode", {}).get("object", ""),
        }
        for name, contract in output.get("contracts", {}).get(SOURCE_NAME, {}).items()
    }
    return CompileResult(
        ok=not any(error["severity"] == "error" for error in errors),
        contracts=contracts,
        errors=errors,
        compiler=version.split("+")[0],
    )


def diagnostic(error: dict, source_bytes: bytes) -> dict:
    line = column = None
    location = error.get("sourceLocation") or {}
    start = location.get("start")
    # solc counts byte offsets into the UTF-8 source; learners count lines and characters.
    if (
        location.get("file") == SOURCE_NAME
        and isinstance(start, int)
        and 0 <= start <= len(source_bytes)
    ):
        before = source_bytes[:start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode(errors="replace")) + 1
    kind = error.get("type", "Error")
    return {
        "severity": error.get("severity", "error"),
        "message": f"{kind}: {error.get('message', '')}",
        "line": line,
        "column": column,
    }


def _from_stored(stored: dict) -> CompileResult:
    return CompileResult(
        ok=stored["ok"],
        contracts=stored["contracts"],
        errors=stored["errors"],
        compiler=stored["compiler"],
    )


def _failure(message: str, *, version: str, started: float) -> CompileResult:
    return CompileResult(
        ok=False,
        contracts={},
        errors=[{"severity": "error", "message": message, "line": None, "column": None}],
        compiler=version,
        ms=_ms_since(started),
    )


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
