import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from courses.models import Enrollment, LessonProgress
from courses.services import complete_lesson, enroll
from courses.signals import lesson_completed
from leaderboard.models import Achievement, UserAchievement
from tests.factories import CourseFactory, LessonFactory, LessonProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


def earned_codes(user):
    return set(
        UserAchievement.objects.filter(user=user).values_list("achievement__code", flat=True)
    )


def test_completing_a_lesson_awards_its_xp_and_the_first_lesson_achievement():
    user = UserFactory()
    lesson = LessonFactory(xp_reward=40)
    LessonFactory(course=lesson.course)  # the course is not finished by this lesson

    result = complete_lesson(user=user, lesson=lesson)

    assert result.newly_completed and result.xp_awarded == 40
    assert not result.course_completed
    user.refresh_from_db()
    bonus = Achievement.objects.get(code="first-lesson").xp_bonus
    assert user.xp == 40 + bonus
    assert earned_codes(user) == {"first-lesson"}
    assert Enrollment.objects.get(user=user, course=lesson.course).status == "active"


def test_completing_a_lesson_the_learner_started_completes_their_row():
    user = UserFactory()
    lesson = LessonFactory(xp_reward=30)
    LessonFactory(course=lesson.course)
    started = LessonProgressFactory(user=user, lesson=lesson, completed=False, completed_at=None)

    result = complete_lesson(user=user, lesson=lesson)

    assert result.newly_completed and result.xp_awarded == 30
    assert list(LessonProgress.objects.filter(user=user).values_list("pk", "completed")) == [
        (started.pk, True)
    ]
    started.refresh_from_db()
    assert started.completed_at is not None


def test_after_completing_the_learner_object_holds_their_xp_and_level(django_assert_num_queries):
    user = UserFactory(xp=95, level=1)
    first, second = LessonFactory(xp_reward=10), LessonFactory(xp_reward=10)
    LessonFactory(course=first.course)
    LessonFactory(course=second.course)
    complete_lesson(user=user, lesson=first)  # earns the first-lesson achievement and its bonus
    in_the_database = User.objects.values_list("xp", "level").get(pk=user.pk)
    assert (user.xp, user.level) == in_the_database

    # Nothing new earned: its own award's answer is the learner's XP, read from nowhere else.
    # The progress upsert (which tells what is left of the course too, and that the learner
    # completed a lesson earlier today: no streak to look for), the enrollment, the award, the
    # achievements not yet earned (no savepoint inside the caller's transaction).
    with django_assert_num_queries(4):
        complete_lesson(user=user, lesson=second)
    assert (user.xp, user.level) == User.objects.values_list("xp", "level").get(pk=user.pk)
    assert user.xp == in_the_database[0] + 10


def test_completing_a_lesson_twice_awards_xp_once():
    user = UserFactory()
    lesson = LessonFactory(xp_reward=40)
    LessonFactory(course=lesson.course)
    complete_lesson(user=user, lesson=lesson)
    user.refresh_from_db()
    xp_after_first = user.xp

    again = complete_lesson(user=user, lesson=lesson)

    assert not again.newly_completed and again.xp_awarded == 0
    user.refresh_from_db()
    assert user.xp == xp_after_first
    assert LessonProgress.objects.filter(user=user, lesson=lesson).count() == 1
    assert UserAchievement.objects.filter(user=user).count() == 1


def test_finishing_the_last_lesson_completes_the_enrollment_and_the_first_course_achievement():
    user = UserFactory()
    course = CourseFactory()
    first, last = LessonFactory(course=course), LessonFactory(course=course)
    enroll(user=user, course=course)
    complete_lesson(user=user, lesson=first)

    result = complete_lesson(user=user, lesson=last)

    assert result.course_completed
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.status == "completed" and enrollment.completed_at is not None
    assert {"first-lesson", "first-course"} <= earned_codes(user)


def test_a_course_is_finished_by_its_published_lessons_all_completed():
    user = UserFactory()
    course = CourseFactory()
    first, last = LessonFactory(course=course), LessonFactory(course=course)
    LessonFactory(course=course, published=False)  # not one the learner can finish
    LessonProgress.objects.create(user=user, lesson=last, completed=False)  # started only

    assert not complete_lesson(user=user, lesson=first).course_completed
    assert complete_lesson(user=user, lesson=last).course_completed
    assert Enrollment.objects.get(user=user, course=course).status == "completed"


def test_an_xp_threshold_unlocks_once_and_its_bonus_counts():
    user = UserFactory(xp=95)
    lesson = LessonFactory(xp_reward=10)
    LessonFactory(course=lesson.course)

    complete_lesson(user=user, lesson=lesson)

    user.refresh_from_db()
    xp_100 = Achievement.objects.get(code="xp-100")
    first = Achievement.objects.get(code="first-lesson")
    assert "xp-100" in earned_codes(user)
    assert user.xp == 95 + 10 + first.xp_bonus + xp_100.xp_bonus
    assert user.level == 2


def test_a_three_day_streak_unlocks_on_the_third_consecutive_day():
    user = UserFactory()
    course = CourseFactory()
    now = timezone.now()
    for days_ago in (2, 1):
        LessonProgressFactory(
            user=user,
            lesson=LessonFactory(course=course),
            completed_at=now - timedelta(days=days_ago),
        )
    LessonFactory(course=course)

    complete_lesson(user=user, lesson=LessonFactory(course=course))

    assert "streak-3" in earned_codes(user)


def test_no_streak_when_a_day_is_missing():
    user = UserFactory()
    course = CourseFactory()
    LessonProgressFactory(
        user=user,
        lesson=LessonFactory(course=course),
        completed_at=timezone.now() - timedelta(days=2),
    )
    LessonFactory(course=course)

    complete_lesson(user=user, lesson=LessonFactory(course=course))

    assert "streak-3" not in earned_codes(user)


def test_enrolling_twice_keeps_one_enrollment():
    user, course = UserFactory(), CourseFactory()
    assert enroll(user=user, course=course) == enroll(user=user, course=course)
    assert Enrollment.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_completions_award_xp_once():
    user = UserFactory()
    lesson = LessonFactory(xp_reward=25)
    LessonFactory(course=lesson.course)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def complete():
        try:
            barrier.wait(timeout=10)
            results.append(complete_lesson(user=User.objects.get(pk=user.pk), lesson=lesson))
        except Exception as exc:  # surfaced below: the test must see every thread's failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(result.newly_completed for result in results) == 1
    user.refresh_from_db()
    assert user.xp == 25 + Achievement.objects.get(code="first-lesson").xp_bonus
    assert UserAchievement.objects.filter(user=user).count() == 1


def test_a_receiver_that_answers_neither_a_standing_nor_none_is_refused_loudly():
    def steering_receiver(sender, **kwargs):
        return ["an achievement"]  # truthy, but says nothing about the learner's XP

    lesson_completed.connect(steering_receiver, dispatch_uid="test.steering")
    try:
        with pytest.raises(TypeError, match="Standing or None"):
            complete_lesson(user=UserFactory(), lesson=LessonFactory())
    finally:
        lesson_completed.disconnect(dispatch_uid="test.steering")
