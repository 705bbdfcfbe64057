from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.services import award_xp
from courses.models import Course, Enrollment, Lesson, LessonProgress
from courses.signals import course_completed, lesson_completed


@dataclass(frozen=True)
class Completion:
    progress: LessonProgress
    newly_completed: bool
    xp_awarded: int
    course_completed: bool


def enroll(*, user, course: Course) -> Enrollment:
    enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
    return enrollment


@transaction.atomic
def complete_lesson(*, user, lesson: Lesson) -> Completion:
    """Marks the lesson complete; idempotent and safe under concurrency.

    The conditional UPDATE (completed=False -> True) is the gate: when two requests race, the second
    waits on the row lock, re-checks the condition and updates nothing, so XP is awarded once.
    """
    now = timezone.now()
    progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    won = LessonProgress.objects.filter(pk=progress.pk, completed=False).update(
        completed=True, completed_at=now, updated_at=now
    )
    if not won:
        progress.refresh_from_db()
        return Completion(progress, newly_completed=False, xp_awarded=0, course_completed=False)

    progress.completed, progress.completed_at = True, now
    enrollment, _ = Enrollment.objects.get_or_create(user=user, course_id=lesson.course_id)
    xp, level = award_xp(user_id=user.pk, amount=lesson.xp_reward)
    user.xp, user.level = xp, level
    lesson_completed.send(sender=Lesson, user_id=user.pk, lesson_id=lesson.pk, completed_at=now)

    finished_course = _complete_enrollment_if_done(user=user, enrollment=enrollment, now=now)
    if finished_course:
        course_completed.send(sender=Course, user_id=user.pk, course_id=lesson.course_id)
    return Completion(
        progress,
        newly_completed=True,
        xp_awarded=lesson.xp_reward,
        course_completed=finished_course,
    )


def _complete_enrollment_if_done(*, user, enrollment: Enrollment, now) -> bool:
    done = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=user, completed=True)
    remaining = Lesson.objects.filter(course_id=enrollment.course_id).filter(~Exists(done)).exists()
    if remaining:
        return False
    return bool(
        Enrollment.objects.filter(pk=enrollment.pk, status=Enrollment.Status.ACTIVE).update(
            status=Enrollment.Status.COMPLETED, completed_at=now
        )
    )
