"""A learner's own progress as the catalog, course and lesson pages show it, cached per learner.

Every page a learner reads marks the lessons they completed and the courses they are in: the
same two queries on every page, with the same answer until they complete a lesson or enroll.
The answer is kept in the cache per learner, under a per-learner version that those writes bump
(now, and again once they commit): a page that read the old rows in between stores them under
the old version, where nobody looks any more. One round trip to Redis reads both.
"""

import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction

from courses.models import Enrollment, LessonProgress

TIMEOUT = 600


@dataclass(frozen=True)
class Progress:
    completed: frozenset = frozenset()  # lesson ids
    completed_by_course: dict = field(default_factory=dict)  # course id -> lessons completed
    enrollments: dict = field(default_factory=dict)  # course id -> Enrollment.Status value


NONE = Progress()


def _version_key(user_id):
    return f"progress-version:{user_id}"


def _entry_key(user_id):
    return f"progress:{user_id}"


def of(user) -> Progress:
    if not user.is_authenticated:
        return NONE
    version_key, entry_key = _version_key(user.pk), _entry_key(user.pk)
    found = cache.get_many([version_key, entry_key])
    version = found.get(version_key)
    if version is None:
        version = _start(user.pk)
    entry = found.get(entry_key)
    if entry is not None and entry["version"] == version:
        return entry["progress"]
    progress = _read(user)
    if version is not None:
        cache.set(entry_key, {"version": version, "progress": progress}, TIMEOUT)
    return progress


def _read(user) -> Progress:
    rows = list(
        LessonProgress.objects.completed()
        .filter(user=user)
        .values_list("lesson_id", "lesson__course_id")
    )
    completed = frozenset(lesson_id for lesson_id, _ in rows)
    by_course = {}
    for _, course_id in rows:
        by_course[course_id] = by_course.get(course_id, 0) + 1
    enrollments = dict(Enrollment.objects.filter(user=user).values_list("course_id", "status"))
    return Progress(completed, by_course, enrollments)


def changed(user_id) -> None:
    """The learner's progress or enrollments changed: their cached progress is retired now and
    again once the transaction commits (anything read from the rows in between goes too)."""
    _bump(user_id)
    transaction.on_commit(lambda: _bump(user_id))


def _start(user_id):
    # From the clock: above any version an older entry could carry. It expires with the
    # entries (no version key outlives what it guards); incr keeps its expiry.
    cache.add(_version_key(user_id), time.time_ns(), TIMEOUT)
    return cache.get(_version_key(user_id))


def _bump(user_id):
    try:
        cache.incr(_version_key(user_id))
    except ValueError:
        _start(user_id)
