import pytest

from courses.explanations import EXPLANATIONS, explain, explained
from tests.compiler.sources import MISSING_SEMICOLON

MESSAGES = [
    "ParserError: Expected ';' but got 'function'",
    "DeclarationError: Undeclared identifier.",
    "DeclarationError: Identifier already declared.",
    "TypeError: Type int256 is not implicitly convertible to expected type uint256.",
    'TypeError: Explicit type conversion not allowed from "uint256" to "address".',
    "TypeError: Built-in binary operator + cannot be applied to types uint256 and bool.",
    'SyntaxError: No visibility specified. Did you intend to add "public"?',
    'TypeError: Member "bump" not found or not visible after argument-dependent lookup in C.',
    "TypeError: Function declared as view, but this expression (potentially) modifies the state "
    "and thus requires non-payable (the default) or payable.",
    "TypeError: Function declared as pure, but this expression (potentially) reads from the "
    'environment or state and thus requires "view".',
    "Warning: Function state mutability can be restricted to view",
    "TypeError: Wrong argument count for function call: 1 arguments given but expected 2.",
    "TypeError: Different number of arguments in return statement than in returns declaration.",
    "Warning: This declaration shadows an existing declaration.",
    'TypeError: Data location must be "storage", "memory" or "calldata" for variable, but none '
    "was given.",
    "Warning: Unreachable code.",
    'TypeError: Mapping types can only have a data location of "storage" and thus only be '
    "parameters or return variables for internal or library functions.",
    'TypeError: "msg.value" and "callvalue()" can only be used in payable public functions.',
    'TypeError: "send" and "transfer" are only available for objects of type "address payable"'
    ', not "address".',
    'TypeError: Overriding function is missing "override" specifier.',
    'TypeError: Contract "C" should be marked as abstract.',
    "ParserError: Source file requires different compiler version (current compiler is "
    "0.8.37+commit.f401782d.Emscripten.clang) - note that nightly builds are considered...",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_common_compiler_messages_are_explained_with_a_lesson(message):
    found = explain(message)
    assert found is not None and found.text and found.url.startswith("/courses/")


def test_there_are_at_least_fifteen_and_each_links_a_lesson_of_the_curriculum():
    from courses.curriculum import read_curriculum

    lessons = {(c.slug, lesson.slug) for c in read_curriculum() for lesson in c.lessons}
    assert len(EXPLANATIONS) >= 15
    for explanation in EXPLANATIONS:
        assert (explanation.course, explanation.lesson) in lessons, explanation.url


def test_an_unknown_message_is_left_as_it_is():
    errors = [{"severity": "error", "message": "TypeError: something rare", "line": 1}]
    assert explained(errors) == errors


@pytest.mark.django_db
@pytest.mark.usefixtures("compiler")
def test_a_room_compile_shows_the_explanation_beside_the_compilers_words(learner_client):
    from tests.factories import RoomFactory

    room = RoomFactory(owner=learner_client.learner)
    response = learner_client.post(
        f"/rooms/{room.slug}/compile/", {"code": MISSING_SEMICOLON, "version": "0"}
    )
    body = response.content.decode()
    assert "Expected &#x27;;&#x27; but got" in body
    assert "A statement is missing its semicolon" in body
    assert 'href="/courses/solidity-foundations/your-first-contract/"' in body
