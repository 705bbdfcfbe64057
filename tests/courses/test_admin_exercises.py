import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Lesson
from tests.compiler.sources import COUNTER, COUNTER_TESTS, COUNTER_THAT_FORGETS
from tests.factories import CourseFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("compiler")]


def add_lesson(**fields):
    staff = Client()
    staff.force_login(StaffFactory())
    course = CourseFactory()
    data = {
        "course": course.pk, "position": "1", "slug": "counting", "title": "Counting",
        "xp_reward": "10", "published": "on", "body": "Count **things**.",
        "starter_code": COUNTER_THAT_FORGETS, "tests": COUNTER_TESTS, "solution": COUNTER,
        "hints": '["Add one."]', **fields,
    }  # fmt: skip
    return staff.post(reverse("admin:courses_lesson_add"), data)


def test_an_exercise_whose_solution_passes_and_starter_fails_is_saved():
    response = add_lesson()
    assert response.status_code == 302
    lesson = Lesson.objects.get(slug="counting")
    assert lesson.has_exercise and lesson.hints == ["Add one."]


def test_a_reference_solution_that_fails_its_tests_is_refused_with_the_failing_test():
    response = add_lesson(solution=COUNTER_THAT_FORGETS)
    body = response.content.decode()
    assert response.status_code == 200 and not Lesson.objects.exists()
    assert "The reference solution fails the tests" in body
    assert "test_increment_adds_one_to_count: count after one increment: got 0, expected 1" in body


def test_a_starter_that_already_passes_and_malformed_hints_are_refused():
    response = add_lesson(starter_code=COUNTER, hints='{"not": "a list"}')
    body = response.content.decode()
    assert "The starter passes every test" in body and "Hints are a JSON list" in body
    assert not Lesson.objects.exists()


def test_tests_that_do_not_compile_are_refused_with_the_compilers_words():
    response = add_lesson(tests=COUNTER_TESTS.replace("counter.increment();", "counter.bump();"))
    assert "The tests do not run" in response.content.decode() and not Lesson.objects.exists()
