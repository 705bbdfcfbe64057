"""A learner's own progress, cached per learner and retired by their own writes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import progress
from courses.models import Enrollment, LessonProgress
from courses.services import complete_lesson, enroll
from tests.factories import CourseFactory, LessonFactory, LessonProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


def reads(user):
    with CaptureQueriesContext(connection) as queries:
        mine = progress.of(user)
    return mine, len(queries)


def test_progress_is_read_once_then_served_from_the_cache():
    lesson = LessonFactory()
    learner = UserFactory()
    LessonProgressFactory(user=learner, lesson=lesson)
    first, queries = reads(learner)
    assert queries == 2
    assert first.completed == {lesson.pk}
    assert first.completed_by_course == {lesson.course_id: 1}
    again, queries = reads(learner)
    assert (again, queries) == (first, 0)


def test_completing_and_enrolling_show_at_once():
    course = CourseFactory()
    first, second = LessonFactory(course=course), LessonFactory(course=course)
    learner = UserFactory()
    assert progress.of(learner).completed == frozenset()
    complete_lesson(user=learner, lesson=first)
    mine = progress.of(learner)
    assert mine.completed == {first.pk}
    assert mine.enrollments == {course.pk: Enrollment.Status.ACTIVE}
    complete_lesson(user=learner, lesson=second)
    assert progress.of(learner).enrollments == {course.pk: Enrollment.Status.COMPLETED}
    other = CourseFactory()
    enroll(user=learner, course=other)
    assert other.pk in progress.of(learner).enrollments


def test_a_read_between_the_write_and_its_commit_is_not_served_afterwards(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as at_commit:  # all of the transaction's
        lesson = LessonFactory()
        learner = UserFactory()
        progress.changed(learner.pk)  # a write begins: the first bump
        LessonProgress.objects.bulk_create(
            [LessonProgress(user=learner, lesson=lesson, completed=True)]
        )
    # A page that read the rows before the commit stored what it saw (nothing completed):
    assert progress.PROGRESS.get(learner.pk, lambda: progress.NONE) == progress.NONE
    assert progress.of(learner) == progress.NONE
    for callback in at_commit:  # the commit: the second bump retires it
        callback()
    assert progress.of(learner).completed == {lesson.pk}


def test_an_edit_outside_the_services_retires_the_cached_progress():
    row = LessonProgressFactory()
    learner = row.user
    assert progress.of(learner).completed == {row.lesson_id}
    edited = LessonProgress.objects.get(pk=row.pk)
    edited.completed = False  # as an admin would, in the change form
    edited.save()
    assert progress.of(learner).completed == frozenset()


def test_the_version_expires_with_the_entries_it_guards():
    learner = UserFactory()
    progress.of(learner)
    group = progress.PROGRESS
    lifetime = group.timeout + group.stale_for
    assert 0 < cache.ttl(f"ver:{group.name}:{learner.pk}") <= lifetime
    assert cache.ttl(f"{group.name}:{learner.pk}") <= lifetime


def test_a_visitor_has_no_progress_and_costs_no_query():
    mine, queries = reads(AnonymousUser())
    assert (mine, queries) == (progress.NONE, 0)
