from dataclasses import dataclass
from functools import cache

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.services import award_xp
from courses import progress
from courses.models import Course, Enrollment, Lesson, LessonProgress
from courses.signals import course_completed, lesson_completed, standing_after


@dataclass(frozen=True)
class Completion:
    newly_completed: bool
    xp_awarded: int
    course_completed: bool


def enroll(*, user, course: Course) -> Enrollment:
    enrollment, created = Enrollment.objects.get_or_create(user=user, course=course)
    if created:
        progress.changed(user.pk)
    return enrollment


# No savepoint of its own inside a caller's transaction (record_pass): two round trips that
# nothing needs, since no caller goes on after it fails.
@transaction.atomic(savepoint=False)
def complete_lesson(*, user, lesson: Lesson) -> Completion:
    """Marks the lesson complete; idempotent and safe under concurrency.

    The upsert that marks it complete only where it was not (`_mark_completed`) is the gate:
    when two requests race, the second waits on the row's lock, re-checks the condition and
    changes nothing, so XP is awarded once. Afterwards `user.xp` and `user.level` hold the
    new values.
    """
    now = timezone.now()
    if not _mark_completed(user_id=user.pk, lesson_id=lesson.pk, now=now):
        return Completion(newly_completed=False, xp_awarded=0, course_completed=False)
    progress.changed(user.pk)

    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course_id=lesson.course_id)], ignore_conflicts=True
    )
    user.xp, user.level = award_xp(user_id=user.pk, amount=lesson.xp_reward)
    answers = lesson_completed.send(
        sender=Lesson,
        user_id=user.pk,
        username=user.username,
        lesson_id=lesson.pk,
        completed_at=now,
        xp=user.xp,
    )

    finished_course = _complete_enrollment_if_done(user=user, course_id=lesson.course_id, now=now)
    if finished_course:
        answers += course_completed.send(
            sender=Course, user_id=user.pk, username=user.username, course_id=lesson.course_id
        )
    standing = standing_after(answers)  # an achievement's bonus (courses.signals)
    if standing is not None:
        user.xp, user.level = standing
    return Completion(
        newly_completed=True, xp_awarded=lesson.xp_reward, course_completed=finished_course
    )


def _mark_completed(*, user_id, lesson_id, now) -> bool:
    """Creates the learner's completed progress row, or completes the row they have; False
    when it was complete already. One statement, and the gate under concurrency: a racing
    second request waits on the row's lock, then finds it complete and changes nothing."""
    with connection.cursor() as cursor:
        cursor.execute(_mark_completed_sql(), [user_id, lesson_id, now, now])
        return cursor.fetchone() is not None


@cache
def _mark_completed_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(LessonProgress._meta.db_table)
    completed, completed_at, updated_at = map(quote, ["completed", "completed_at", "updated_at"])
    return (
        f"INSERT INTO {table} ({quote('user_id')}, {quote('lesson_id')}, {completed}, "
        f"{completed_at}, {updated_at}) VALUES (%s, %s, TRUE, %s, %s) "
        f"ON CONFLICT ({quote('user_id')}, {quote('lesson_id')}) DO UPDATE SET "
        f"{completed} = TRUE, {completed_at} = excluded.{completed_at}, "
        f"{updated_at} = excluded.{updated_at} "
        f"WHERE NOT {table}.{completed} RETURNING {quote('id')}"
    )


def _complete_enrollment_if_done(*, user, course_id, now) -> bool:
    done = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=user, completed=True)
    remaining = (
        Lesson.objects.filter(course_id=course_id).published().filter(~Exists(done)).exists()
    )
    if remaining:
        return False
    return bool(
        Enrollment.objects.filter(
            user=user, course_id=course_id, status=Enrollment.Status.ACTIVE
        ).update(status=Enrollment.Status.COMPLETED, completed_at=now)
    )
