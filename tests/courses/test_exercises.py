import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from courses.exercises import abi_signatures, missing_requirements, normalize_signature
from courses.models import LessonProgress
from tests.compiler.sources import COUNTER, MISSING_SEMICOLON
from tests.factories import LessonFactory, LessonProgressFactory, UserFactory
from tests.test_query_counts import PAGE_QUERY_BUDGET

pytestmark = pytest.mark.django_db

EXERCISE = {
    "contract": "Counter",
    "functions": ["increment()", "count()"],
    "events": ["Incremented(address, uint)"],
}
NO_EVENT = COUNTER.replace("        emit Incremented(msg.sender, count);\n", "").replace(
    "    event Incremented(address indexed by, uint256 count);\n", ""
)


@pytest.fixture
def lesson():
    lesson = LessonFactory(
        slug="events", xp_reward=25, starter_code="contract Counter {}", exercise=EXERCISE
    )
    LessonFactory(course=lesson.course)  # so that passing does not also finish the course
    return lesson


def check(client, lesson, code):
    return client.post(
        reverse("courses:check", args=[lesson.course.slug, lesson.slug]), {"code": code}
    )


def test_the_lesson_page_offers_the_check_form_with_the_starter_code(client, lesson):
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert reverse("courses:check", args=[lesson.course.slug, lesson.slug]) in body
    assert "Check my solution" in body and "contract Counter {}" in body
    assert "<code>Incremented(address, uint)</code>" in body


@pytest.mark.usefixtures("compiler")
def test_a_passing_solution_completes_the_lesson_once(learner_client, lesson):
    learner = learner_client.learner

    first = check(learner_client, lesson, COUNTER)
    xp_after_first = User.objects.get(pk=learner.pk).xp
    second = check(learner_client, lesson, COUNTER)

    assert first.status_code == 200 and first.context["check"].passed
    assert "Lesson complete: +25 XP" in first.content.decode()
    assert "You completed this lesson" in first.content.decode()
    assert "You had already completed this lesson" in second.content.decode()
    assert LessonProgress.objects.filter(user=learner, lesson=lesson, completed=True).count() == 1
    assert xp_after_first >= 25
    assert User.objects.get(pk=learner.pk).xp == xp_after_first


@pytest.mark.usefixtures("compiler")
def test_a_solution_missing_a_requirement_fails_and_says_which(learner_client, lesson):
    response = check(learner_client, lesson, NO_EVENT)

    result = response.context["check"]
    assert response.status_code == 200 and not result.passed
    assert result.missing == ["Counter has no event Incremented(address,uint256)."]
    assert "Counter has no event Incremented(address,uint256)." in response.content.decode()
    assert not LessonProgress.objects.exists()


@pytest.mark.usefixtures("compiler")
def test_a_solution_that_does_not_compile_shows_the_compiler_errors(learner_client, lesson):
    response = check(learner_client, lesson, MISSING_SEMICOLON)

    body = response.content.decode()
    assert not response.context["check"].passed
    assert "Line 6, column 5" in body and "Expected &#x27;;&#x27; but got" in body
    assert NO_EVENT not in body and "uint256 public count\n" in body  # the learner's code stays
    assert not LessonProgress.objects.exists()


@pytest.mark.usefixtures("compiler")
def test_a_wrong_contract_name_or_an_interface_fails(learner_client, lesson):
    renamed = check(learner_client, lesson, COUNTER.replace("contract Counter", "contract Tally"))
    interface = check(
        learner_client,
        lesson,
        "pragma solidity ^0.8.20;\ninterface Counter { function increment() external; }\n",
    )
    assert renamed.context["check"].missing == [
        "There is no contract named Counter (found: Tally)."
    ]
    assert interface.context["check"].missing == [
        "Counter is abstract or an interface: make it a contract that can be deployed."
    ]


@pytest.mark.usefixtures("compiler")
def test_a_visitor_can_check_but_must_log_in_to_complete(client, lesson):
    response = check(client, lesson, COUNTER)
    assert response.context["check"].passed
    assert "Log in</a> to earn 25 XP" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_checking_needs_an_exercise_and_some_code(learner_client, lesson):
    plain = LessonFactory(course=lesson.course, exercise={})
    assert check(learner_client, plain, COUNTER).status_code == 404
    empty = check(learner_client, lesson, "")
    assert empty.status_code == 400 and empty.context["solution_form"].errors
    assert (
        learner_client.get(
            reverse("courses:check", args=[lesson.course.slug, lesson.slug])
        ).status_code
        == 405
    )


@pytest.mark.usefixtures("compiler", "mid_minute")
def test_checking_respects_the_compile_budget(learner_client, lesson, settings):
    settings.COMPILER_RATE_LIMIT_PER_MINUTE = 1
    check(learner_client, lesson, NO_EVENT)
    refused = check(learner_client, lesson, COUNTER)
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert "Too many compiles" in refused.content.decode()
    assert not LessonProgress.objects.exists()


def test_requirements_are_matched_on_canonical_signatures():
    abi = [
        {"type": "function", "name": "add", "inputs": [
            {"type": "tuple[]", "components": [{"type": "string"}, {"type": "bool"}]},
            {"type": "uint256"},
        ]},
        {"type": "event", "name": "Added", "inputs": [{"type": "address"}]},
        {"type": "constructor", "inputs": []},
    ]  # fmt: skip
    contracts = {"Todo": {"abi": abi, "bytecode": "0x60"}}

    assert abi_signatures(abi, "function") == {"add((string,bool)[],uint256)"}
    assert normalize_signature(" add( (string, bool)[] , uint ) ") == "add((string,bool)[],uint256)"
    assert (
        missing_requirements(
            {
                "contract": "Todo",
                "functions": ["add((string,bool)[], uint)"],
                "events": ["Added(address)"],
            },
            contracts,
        )
        == []
    )
    assert missing_requirements({"functions": ["remove(uint256)"]}, contracts) == [
        "Your code has no function remove(uint256)."
    ]
    assert missing_requirements(["not", "a", "dict"], contracts) == []


@pytest.mark.usefixtures("compiler")
@pytest.mark.parametrize(
    ("source", "budget"),
    [(COUNTER, None), (NO_EVENT, PAGE_QUERY_BUDGET)],
    ids=["pass, which writes", "fail"],
)
def test_checking_runs_a_constant_number_of_queries(lesson, source, budget):
    def queries_for_a_new_learner():
        browser = Client()
        browser.force_login(UserFactory())
        check(browser, lesson, source)  # warm-up: the compile cache and the session
        LessonProgress.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            response = check(browser, lesson, source)
        assert response.status_code == 200
        return len(queries)

    small = queries_for_a_new_learner()
    for _ in range(20):
        other = LessonFactory(course=lesson.course)
        LessonProgressFactory(lesson=other)
        LessonProgressFactory(lesson=lesson)
    assert queries_for_a_new_learner() == small
    assert budget is None or small <= budget
