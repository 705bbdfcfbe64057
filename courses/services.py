from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.services import award_xp
from courses import progress
from courses.models import Course, Enrollment, Lesson, LessonProgress
from courses.signals import course_completed, lesson_completed


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


@transaction.atomic
def complete_lesson(*, user, lesson: Lesson) -> Completion:
    """Marks the lesson complete; idempotent and safe under concurrency.

    The conditional UPDATE (completed=False -> True) is the gate: when two requests race, the second
    waits on the row lock, re-checks the condition and updates nothing, so XP is awarded once.
    Afterwards `user.xp` and `user.level` hold the new values.
    """
    now = timezone.now()
    # INSERT ... ON CONFLICT DO NOTHING: the row exists afterwards, whoever created it.
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=user, lesson=lesson, updated_at=now)], ignore_conflicts=True
    )
    won = LessonProgress.objects.filter(user=user, lesson=lesson, completed=False).update(
        completed=True, completed_at=now, updated_at=now
    )
    if not won:
        return Completion(newly_completed=False, xp_awarded=0, course_completed=False)
    progress.changed(user.pk)

    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course_id=lesson.course_id)], ignore_conflicts=True
    )
    xp = award_xp(user_id=user.pk, amount=lesson.xp_reward)
    lesson_completed.send(
        sender=Lesson, user_id=user.pk, lesson_id=lesson.pk, completed_at=now, xp=xp
    )

    finished_course = _complete_enrollment_if_done(user=user, course_id=lesson.course_id, now=now)
    if finished_course:
        course_completed.send(sender=Course, user_id=user.pk, course_id=lesson.course_id)
    user.refresh_from_db(fields=["xp", "level"])
    return Completion(
        newly_completed=True, xp_awarded=lesson.xp_reward, course_completed=finished_course
    )


def _complete_enrollment_if_done(*, user, course_id, now) -> bool:
    done = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=user, completed=True)
    remaining = Lesson.objects.filter(course_id=course_id).filter(~Exists(done)).exists()
    if remaining:
        return False
    return bool(
        Enrollment.objects.filter(
            user=user, course_id=course_id, status=Enrollment.Status.ACTIVE
        ).update(status=Enrollment.Status.COMPLETED, completed_at=now)
    )
