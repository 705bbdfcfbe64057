import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core import page_cache
from courses.catalog import CATALOG
from courses.exercises import gas_standing, passes_of, record_pass
from courses.models import ExercisePass, LessonProgress
from tests.compiler.sources import COUNTER, COUNTER_TESTS, COUNTER_THAT_FORGETS, MISSING_SEMICOLON
from tests.factories import LessonFactory, LessonProgressFactory, UserFactory
from tests.test_query_counts import PAGE_QUERY_BUDGET

pytestmark = pytest.mark.django_db

HINTS = ["Add one to `count`.", "Then emit the event.", "`count += 1;`"]


@pytest.fixture
def lesson():
    lesson = LessonFactory(
        slug="events",
        xp_reward=25,
        starter_code=COUNTER_THAT_FORGETS,
        tests=COUNTER_TESTS,
        solution=COUNTER,
        hints=HINTS,
    )
    LessonFactory(course=lesson.course)  # so that passing does not also finish the course
    return lesson


def check(client, lesson, code, **extra):
    return client.post(
        reverse("courses:check", args=[lesson.course.slug, lesson.slug]),
        {"code": code, **extra},
    )


def test_the_lesson_page_offers_the_check_form_with_the_starter_code_and_never_the_solution(
    client, lesson
):
    lesson.solution = COUNTER.replace("contract Counter", "contract SecretReference")
    lesson.save()
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert reverse("courses:check", args=[lesson.course.slug, lesson.slug]) in body
    assert "Check my solution" in body and "uint256 public count;" in body
    assert "SecretReference" not in body
    assert "Mark complete" not in body and HINTS[0] not in body


@pytest.mark.usefixtures("compiler")
def test_a_passing_solution_completes_the_lesson_once_and_keeps_its_gas(learner_client, lesson):
    learner = learner_client.learner

    first = check(learner_client, lesson, COUNTER)
    xp_after_first = User.objects.get(pk=learner.pk).xp
    second = check(learner_client, lesson, COUNTER)

    body = first.content.decode()
    assert first.status_code == 200 and first.context["check"].passed
    assert "3 of 3 tests pass" in body and "increment adds one to count" in body
    assert "Lesson complete: +25 XP" in body and "You completed this lesson" in body
    assert "Among the 1 learner who passed: median" in body
    assert "You had already completed this lesson" in second.content.decode()
    assert LessonProgress.objects.filter(user=learner, lesson=lesson, completed=True).count() == 1
    assert User.objects.get(pk=learner.pk).xp == xp_after_first >= 25
    gas = first.context["check"].run.gas
    assert ExercisePass.objects.get(user=learner, lesson=lesson).gas == gas > 0


@pytest.mark.usefixtures("compiler")
def test_the_starter_fails_with_each_tests_message_and_earns_a_hint(learner_client, lesson):
    response = check(learner_client, lesson, COUNTER_THAT_FORGETS)

    body = response.content.decode()
    run = response.context["check"].run
    assert response.status_code == 200 and not response.context["check"].passed
    assert run.passed_count == 1 and len(run.tests) == 3
    assert "1 of 3 tests pass" in body and "✗" in body and "✓" in body
    assert "count after one increment: got 0, expected 1" in body
    assert "Hint 1 of 3" in body and "Hint 2 of 3" not in body
    assert 'name="failed_attempts" value="1"' in body
    again = check(learner_client, lesson, COUNTER_THAT_FORGETS, failed_attempts="1")
    assert "Hint 2 of 3" in again.content.decode()
    assert not LessonProgress.objects.exists() and not ExercisePass.objects.exists()


@pytest.mark.usefixtures("compiler")
def test_the_script_gets_only_the_verdict(learner_client, lesson):
    response = learner_client.post(
        reverse("courses:check", args=[lesson.course.slug, lesson.slug]),
        {"code": MISSING_SEMICOLON},
        headers={"X-Check": "1"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith("{#") is False and 'id="check-result"' in body
    assert "<html" not in body and 'id="check-diagnostics"' in body


@pytest.mark.usefixtures("compiler")
def test_without_the_script_a_check_answers_the_stored_page_as_if_rendered_whole(
    learner_client, lesson
):
    path = lesson.get_absolute_url()
    assert page_cache.stored(CATALOG, path) is None
    check(learner_client, lesson, COUNTER_THAT_FORGETS)  # both below come from the check cache
    whole = check(learner_client, lesson, COUNTER_THAT_FORGETS)
    learner_client.get(path)  # the page is stored for everyone
    assert page_cache.stored(CATALOG, path) is not None
    from_stored = check(learner_client, lesson, COUNTER_THAT_FORGETS)

    assert "courses/lesson.html" in [t.name for t in whole.templates]
    assert "courses/lesson.html" not in [t.name for t in from_stored.templates]
    assert from_stored.status_code == whole.status_code == 200
    assert without_tokens(from_stored) == without_tokens(whole)
    body = from_stored.content.decode()
    assert "1 of 3 tests pass" in body and "Hint 1 of 3" in body and "<!--personal" not in body
    assert 'value="1"' in body and "uint256 public count;" in body  # failed attempts, their code


def test_the_lesson_page_rebuilt_when_stale_is_rendered_whole_not_copied_from_the_old_one(
    client, lesson
):
    path = lesson.get_absolute_url()
    client.get(path)  # stored
    entry_key = f"{CATALOG.name}:{page_cache._page_key(path, '')}"
    entry = cache.get(entry_key)
    old = entry["value"]["content"].replace(b'<article class="lesson">', b"<article>Old copy")
    assert old != entry["value"]["content"]
    entry["value"]["content"] = old
    entry["fresh_until"] = 0  # stale: the next request rebuilds it
    cache.set(entry_key, entry)
    client.get(path)
    assert b"Old copy" not in cache.get(entry_key)["value"]["content"]


def without_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


@pytest.mark.usefixtures("compiler")
def test_a_solution_that_does_not_compile_shows_the_compiler_errors(learner_client, lesson):
    response = check(learner_client, lesson, MISSING_SEMICOLON)

    body = response.content.decode()
    assert not response.context["check"].passed
    assert "Your contract does not compile yet" in body
    assert "Line 6, column 5" in body and "Expected &#x27;;&#x27; but got" in body
    assert "uint256 public count\n" in body  # the learner's code stays
    assert not LessonProgress.objects.exists()


@pytest.mark.usefixtures("compiler")
def test_a_contract_the_tests_cannot_use_is_explained(learner_client, lesson):
    response = check(learner_client, lesson, COUNTER.replace("contract Counter", "contract Tally"))
    body = response.content.decode()
    assert "the tests cannot use it yet" in body and "Counter" in body
    assert not LessonProgress.objects.exists()


@pytest.mark.usefixtures("compiler")
def test_a_visitor_can_check_but_must_log_in_to_complete(client, lesson):
    response = check(client, lesson, COUNTER)
    assert response.context["check"].passed
    assert "Log in</a> to earn 25 XP" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_mark_complete_is_refused_on_an_exercise_and_offered_elsewhere(learner_client, lesson):
    refused = learner_client.post(
        reverse("courses:complete", args=[lesson.course.slug, lesson.slug])
    )
    assert refused.status_code == 403 and "passes its tests" in refused.content.decode()
    assert not LessonProgress.objects.exists()
    assert User.objects.get(pk=learner_client.learner.pk).xp == 0

    plain = LessonFactory(course=lesson.course)
    assert "Mark complete" in learner_client.get(plain.get_absolute_url()).content.decode()
    done = learner_client.post(reverse("courses:complete", args=[plain.course.slug, plain.slug]))
    assert done.status_code == 302 and LessonProgress.objects.filter(lesson=plain).exists()


def test_checking_needs_an_exercise_and_some_code(learner_client, lesson):
    plain = LessonFactory(course=lesson.course)
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
    check(learner_client, lesson, COUNTER_THAT_FORGETS)
    refused = check(learner_client, lesson, COUNTER)
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert "Too many compiles" in refused.content.decode()
    assert not LessonProgress.objects.exists()


def test_gas_standings_give_the_median_and_best_of_everyone_who_passed(lesson):
    for gas in (900, 100, 500, 700):
        record_pass(user=UserFactory(), lesson=lesson, gas=gas)
    mine = UserFactory()
    record_pass(user=mine, lesson=lesson, gas=800)
    record_pass(user=mine, lesson=lesson, gas=950)  # a worse pass keeps the best one

    standing = gas_standing(lesson=lesson, user=mine)
    assert (standing.mine, standing.median, standing.best, standing.learners) == (800, 700, 100, 5)
    assert [(row["gas"], row["median"], row["best"]) for row in passes_of(mine)] == [
        (800, 700, 100)
    ]
    assert passes_of(mine)[0]["url"] == lesson.get_absolute_url()


def test_a_pass_answers_the_learners_best_gas_in_the_statement_that_keeps_it(
    lesson, django_assert_num_queries
):
    learner = UserFactory()
    assert record_pass(user=learner, lesson=lesson, gas=800).best_gas == 800  # the first
    assert record_pass(user=learner, lesson=lesson, gas=600).best_gas == 600  # lower: stored
    # Higher: the best stays, and is read by the upsert itself (the lesson's completion, the
    # upsert, and the savepoint's two statements inside the test's transaction).
    with django_assert_num_queries(4):
        assert record_pass(user=learner, lesson=lesson, gas=900).best_gas == 600
    assert ExercisePass.objects.get(user=learner, lesson=lesson).gas == 600
    assert gas_standing(lesson=lesson, user=learner, mine=600).mine == 600


@pytest.mark.usefixtures("compiler")
@pytest.mark.parametrize(
    ("source", "budget"),
    [(COUNTER, None), (COUNTER_THAT_FORGETS, PAGE_QUERY_BUDGET)],
    ids=["pass, which writes", "fail"],
)
def test_checking_runs_a_constant_number_of_queries(lesson, source, budget):
    def queries_for_a_new_learner():
        browser = Client()
        browser.force_login(UserFactory())
        check(browser, lesson, source)  # warm-up: the check cache and the session
        LessonProgress.objects.all().delete()
        ExercisePass.objects.all().delete()
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


@pytest.mark.usefixtures("compiler")
def test_warm_checks_caches_each_reference_verdict_that_a_learner_then_reads(
    learner_client, lesson
):
    broken = LessonFactory(course=lesson.course, tests=COUNTER_TESTS, solution=COUNTER_THAT_FORGETS)
    LessonFactory(course=lesson.course, published=False, tests=COUNTER_TESTS, solution=COUNTER)
    out, err = io.StringIO(), io.StringIO()

    call_command("warm_checks", stdout=out, stderr=err)

    assert f"{lesson.course.slug}/{lesson.slug}: checked in" in out.getvalue()
    assert f"{broken.slug}: the reference solution does not pass" in err.getvalue()
    assert "Warmed 1 of 2 exercises" in out.getvalue() and "1 not" in out.getvalue()
    response = check(learner_client, lesson, COUNTER)
    assert response.context["check"].passed and response.context["check"].run.cached
    call_command("warm_checks", stdout=(again := io.StringIO()), stderr=io.StringIO())
    assert "0 checked now, 1 cached already" in again.getvalue()
