"""Compiler messages that explain themselves: the solc errors and warnings learners meet most,
each with a plain-language explanation and the lesson that teaches the idea behind it. Shown
next to the compiler's own words in exercise feedback and in rooms."""

import re
from dataclasses import dataclass, replace

from django.urls import reverse


@dataclass(frozen=True)
class Explanation:
    pattern: re.Pattern
    text: str
    course: str
    lesson: str
    lesson_title: str

    @property
    def url(self) -> str:
        return reverse("courses:lesson", kwargs={"course": self.course, "lesson": self.lesson})


def _explain(pattern, text, where, title):
    course, lesson = where.split("/")
    return Explanation(re.compile(pattern), text, course, lesson, title)


FOUNDATIONS = "solidity-foundations"
EXPLANATIONS = [
    _explain(
        r"Expected ';' but got",
        "A statement is missing its semicolon: every statement in Solidity ends with `;`. The "
        "compiler notices only at the next word, so the mistake is usually at the end of the "
        "line before the one it points at.",
        f"{FOUNDATIONS}/your-first-contract",
        "Your first contract",
    ),
    _explain(
        r"Undeclared identifier",
        "This name is used but never declared here: a typo, a variable declared inside another "
        "block (it exists only there), or a state variable or function you have not written "
        "yet.",
        f"{FOUNDATIONS}/value-types",
        "Value types",
    ),
    _explain(
        r"Identifier already declared",
        "Two declarations share one name in the same scope. Rename one of them.",
        f"{FOUNDATIONS}/value-types",
        "Value types",
    ),
    _explain(
        r"is not implicitly convertible to expected type",
        "A value of one type is used where another is expected, and Solidity never converts "
        "silently when information could be lost (a bigger integer into a smaller one, a signed "
        "into an unsigned, a string into bytes32). Change the types, or convert explicitly "
        "where that is really what you mean.",
        f"{FOUNDATIONS}/value-types",
        "Value types",
    ),
    _explain(
        r"Explicit type conversion not allowed",
        "This conversion is not allowed even explicitly: between some types there is no single "
        "obvious meaning (for example an integer straight into an address of another size). "
        "Convert in steps whose meaning is clear.",
        f"{FOUNDATIONS}/value-types",
        "Value types",
    ),
    _explain(
        r"(Built-in binary )?[Oo]perator .* (cannot be applied|not compatible)",
        "The operator does not work on these two types: both sides of an arithmetic or "
        "comparison operator must have compatible types (for example both uint256).",
        f"{FOUNDATIONS}/value-types",
        "Value types",
    ),
    _explain(
        r"No visibility specified",
        "Every function says who may call it: `external`, `public`, `internal` or `private`. "
        "Add the one you mean.",
        f"{FOUNDATIONS}/visibility",
        "Visibility: who may call what",
    ),
    _explain(
        r"not found or not visible after argument-dependent lookup",
        "The contract or value has no member with this name that is visible here: a typo, a "
        "function that is `private` or `internal` to another contract, or a function the "
        "contract does not have (yet).",
        f"{FOUNDATIONS}/visibility",
        "Visibility: who may call what",
    ),
    _explain(
        r"Function declared as view, but this expression \(potentially\) modifies the state",
        "A `view` function promised only to read, but this line writes state (assigns a state "
        "variable, emits an event, sends ether). Remove `view`, or move the write elsewhere.",
        f"{FOUNDATIONS}/functions",
        "Functions that read and write",
    ),
    _explain(
        r"Function declared as pure, but this expression \(potentially\) reads",
        "A `pure` function promised to read nothing from the chain, but this line reads state or "
        "the environment (`msg`, `block`, a state variable). Make it `view`.",
        f"{FOUNDATIONS}/functions",
        "Functions that read and write",
    ),
    _explain(
        r"Function state mutability can be restricted to (view|pure)",
        "Only a warning: this function changes nothing (or reads nothing), so it can say so with "
        "`view` (or `pure`), which makes it free to call from outside.",
        f"{FOUNDATIONS}/functions",
        "Functions that read and write",
    ),
    _explain(
        r"Wrong argument count for function call",
        "The call passes a different number of arguments than the function declares.",
        f"{FOUNDATIONS}/functions",
        "Functions that read and write",
    ),
    _explain(
        r"Different number of arguments in return statement|Return arguments required",
        "The `return` gives a different number of values than the function's `returns (...)` "
        "declares.",
        f"{FOUNDATIONS}/functions",
        "Functions that read and write",
    ),
    _explain(
        r"This declaration shadows an existing declaration",
        "Only a warning: a local variable or parameter has the same name as a state variable or "
        "function, so inside this function the name means the local one. Rename it (a leading "
        "underscore, `_owner`, is the usual habit).",
        f"{FOUNDATIONS}/constructors",
        "Constructors and the deployer",
    ),
    _explain(
        r"Data location must be",
        "Variables of reference types (arrays, structs, strings, bytes) need a data location: "
        "`storage` (a reference to the contract's state), `memory` (a temporary copy) or "
        "`calldata` (the read-only call input).",
        f"{FOUNDATIONS}/data-locations",
        "Data locations: storage, memory and calldata",
    ),
    _explain(
        r"Unreachable code",
        "Only a warning: nothing after a `return`, `revert` or endless loop can ever run.",
        f"{FOUNDATIONS}/control-flow",
        "Control flow and bounded loops",
    ),
    _explain(
        r"Mapping types can only have a data location of \"storage\"",
        "A mapping exists only in storage: it cannot be copied to memory, passed as an external "
        "argument or returned.",
        "data-structures/mappings",
        "Mappings",
    ),
    _explain(
        r"\"msg.value\" and \"callvalue\(\)\" can only be used in payable",
        "Only a `payable` function can receive ether, so only there does `msg.value` mean "
        "anything. Mark the function `payable`.",
        "inheritance-interfaces-and-ether/receiving-ether",
        "Receiving ether",
    ),
    _explain(
        r"only available for objects of type \"address payable\"",
        "Ether can only be sent to an `address payable`: convert with `payable(addr)`.",
        "inheritance-interfaces-and-ether/sending-ether",
        "Sending ether",
    ),
    _explain(
        r"Overriding function is missing \"override\" specifier|Trying to override non-virtual",
        "A function that replaces an inherited one is marked `override`, and the one it replaces "
        "must be `virtual`.",
        "inheritance-interfaces-and-ether/inheritance",
        "Inheritance",
    ),
    _explain(
        r"should be marked as abstract",
        "The contract leaves a function without a body (its own, or one from an interface or a "
        "parent), so it cannot be deployed: implement every function, or mark it `abstract`.",
        "inheritance-interfaces-and-ether/abstract-contracts-and-interfaces",
        "Abstract contracts and interfaces",
    ),
    _explain(
        r"Source file requires different compiler version",
        "The `pragma solidity` line rules out the compiler this site runs (0.8.37). Use "
        "`pragma solidity ^0.8.24;`.",
        f"{FOUNDATIONS}/your-first-contract",
        "Your first contract",
    ),
]


def explain(message: str) -> Explanation | None:
    for explanation in EXPLANATIONS:
        if explanation.pattern.search(message):
            return explanation
    return None


def explained(errors: list[dict]) -> list[dict]:
    """The compiler's diagnostics, each with `explanation`, `lesson_url` and `lesson_title`
    where one of the explanations fits."""
    out = []
    for error in errors:
        found = explain(error.get("message", ""))
        if found is None:
            out.append(error)
        else:
            out.append(
                {
                    **error,
                    "explanation": found.text,
                    "lesson_url": found.url,
                    "lesson_title": found.lesson_title,
                }
            )
    return out


def explain_attempt(attempt):
    """A compile's attempt (compiler.services.Attempt) with its compiler messages explained: how
    rooms show the result of their Compile button."""
    if attempt.result is None:
        return attempt
    return replace(attempt, result=replace(attempt.result, errors=explained(attempt.result.errors)))
