"""Exercises that check themselves.

A lesson's `exercise` says what a passing contract must contain, e.g.
    {"contract": "Counter", "functions": ["increment()"],
     "events": ["Incremented(address,uint256)"]}
"Check my solution" compiles the learner's code with the real solc, compares the contract's ABI
with those requirements, and on a pass completes the lesson through `complete_lesson`, so XP,
achievements and the course's completion follow the same rules as "Mark complete".

`compile_learner_code` is also how rooms compile their shared code: `collaboration` may import
`courses` but not `compiler` (DESIGN.md, dependencies point one way).
"""

import re
from dataclasses import dataclass

from compiler.services import Attempt, attempt_compile
from courses.models import Lesson
from courses.services import Completion, complete_lesson

_TYPE_ALIASES = [(re.compile(r"\buint\b"), "uint256"), (re.compile(r"\bint\b"), "int256")]


@dataclass(frozen=True)
class Check:
    attempt: Attempt
    missing: list[str]
    completion: Completion | None = None

    @property
    def passed(self) -> bool:
        result = self.attempt.result
        return result is not None and result.ok and not self.missing


def compile_learner_code(*, source: str, requester: str) -> Attempt:
    return attempt_compile(source=source, requester=requester)


def check_solution(*, user, lesson: Lesson, source: str, requester: str) -> Check:
    """Compiles `source` and checks it against the lesson's exercise; a pass by a logged-in learner
    completes the lesson (once: completing is idempotent)."""
    attempt = compile_learner_code(source=source, requester=requester)
    if attempt.result is None or not attempt.result.ok:
        return Check(attempt=attempt, missing=[])
    missing = missing_requirements(lesson.exercise, attempt.result.contracts)
    completion = None
    if not missing and user.is_authenticated:
        completion = complete_lesson(user=user, lesson=lesson)
    return Check(attempt=attempt, missing=missing, completion=completion)


def missing_requirements(exercise: dict, contracts: dict) -> list[str]:
    """What the compiled contracts lack, one sentence per requirement; empty means a pass."""
    if not isinstance(exercise, dict):  # the admin stores any JSON; a malformed one asks nothing
        exercise = {}
    name = exercise.get("contract")
    if name and isinstance(name, str):
        if name not in contracts:
            found = ", ".join(sorted(contracts)) or "none"
            return [f"There is no contract named {name} (found: {found})."]
        if contracts[name]["bytecode"] == "0x":
            return [f"{name} is abstract or an interface: make it a contract that can be deployed."]
        checked, abi = name, contracts[name]["abi"]
    else:
        checked, abi = "Your code", [item for c in contracts.values() for item in c["abi"]]
    missing = []
    for kind in ("function", "event"):
        present = abi_signatures(abi, kind)
        wanted_list = exercise.get(f"{kind}s")
        for wanted in wanted_list if isinstance(wanted_list, list) else []:
            if normalize_signature(wanted) not in present:
                missing.append(f"{checked} has no {kind} {normalize_signature(wanted)}.")
    return missing


def abi_signatures(abi: list, kind: str) -> set[str]:
    """Canonical signatures, e.g. "transfer(address,uint256)", of the ABI's functions or events."""
    return {
        f"{item['name']}({','.join(_canonical_type(p) for p in item.get('inputs', []))})"
        for item in abi
        if item.get("type") == kind
    }


def normalize_signature(signature: str) -> str:
    signature = "".join(str(signature).split())
    for alias, canonical in _TYPE_ALIASES:
        signature = alias.sub(canonical, signature)
    return signature


def _canonical_type(parameter: dict) -> str:
    kind = parameter["type"]
    if kind.startswith("tuple"):
        # A struct is spelled by its members' types, keeping any array suffix: tuple[] -> (..)[]
        inner = ",".join(_canonical_type(p) for p in parameter.get("components", []))
        return f"({inner}){kind[len('tuple') :]}"
    return kind
