"""Achievement rules: which achievements an event earns, with and without the database."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from leaderboard.models import Achievement, UserAchievement
from leaderboard.services import (
    LESSON_RULES,
    earned_achievements,
    grant_achievements,
    streak_holds,
)
from tests.factories import AchievementFactory, LessonProgressFactory, UserFactory

Rule = Achievement.Rule


def achievement(code, rule, *, threshold=0, xp_bonus=0):
    return Achievement(code=code, name=code, rule=rule, threshold=threshold, xp_bonus=xp_bonus)


def codes(achievements):
    return [found.code for found in achievements]


def no_streak(days):
    return False


def test_a_bonus_can_cross_the_next_xp_threshold():
    candidates = [
        achievement("xp-100", Rule.XP_THRESHOLD, threshold=100, xp_bonus=5),
        achievement("first", Rule.FIRST_LESSON, xp_bonus=10),
        achievement("xp-200", Rule.XP_THRESHOLD, threshold=200),
    ]
    earned = earned_achievements(candidates, rules=LESSON_RULES, xp=95, has_streak=no_streak)
    assert codes(earned) == ["first", "xp-100"]


def test_only_the_events_rules_are_offered():
    candidates = [achievement("chat", Rule.FIRST_CHAT), achievement("course", Rule.FIRST_COURSE)]
    assert earned_achievements(candidates, rules=LESSON_RULES, xp=0, has_streak=no_streak) == []


def test_a_streak_is_asked_for_its_days():
    asked = []
    candidates = [achievement("streak-3", Rule.STREAK, threshold=3)]

    def streak(days):
        asked.append(days)
        return True

    earned = earned_achievements(candidates, rules=LESSON_RULES, xp=0, has_streak=streak)
    assert (codes(earned), asked) == (["streak-3"], [3])


@pytest.mark.django_db
def test_the_default_achievements_of_a_first_lesson_are_what_completing_one_grants():
    from courses.services import complete_lesson
    from leaderboard.models import UserAchievement
    from tests.factories import LessonFactory, UserFactory

    user = UserFactory(xp=0)
    lesson = LessonFactory(xp_reward=90)
    LessonFactory(course=lesson.course)
    planned = earned_achievements(
        Achievement.objects.all(), rules=LESSON_RULES, xp=90, has_streak=no_streak
    )

    complete_lesson(user=user, lesson=lesson)

    granted = UserAchievement.objects.filter(user=user).values_list("achievement__code", flat=True)
    assert sorted(codes(planned)) == sorted(granted)


def test_a_streak_holds_when_every_day_back_from_today_was_active():
    today = date(2026, 12, 7)
    active = {today, today - timedelta(days=1), today - timedelta(days=2), today - timedelta(5)}
    assert streak_holds(active, length=3, today=today)
    assert not streak_holds(active, length=4, today=today)
    assert not streak_holds(active - {today}, length=1, today=today)


@pytest.mark.django_db
def test_every_streak_offered_is_judged_from_one_read_of_the_active_days(
    django_assert_num_queries,
):
    user = UserFactory(xp=0)
    now = timezone.now()
    for days_ago in (0, 1, 2, 3):
        LessonProgressFactory(user=user, completed_at=now - timedelta(days=days_ago))
    AchievementFactory(code="streak-4", rule=Rule.STREAK, threshold=4, xp_bonus=0)
    AchievementFactory(code="streak-7", rule=Rule.STREAK, threshold=7, xp_bonus=0)
    UserAchievement.objects.create(
        user=user, achievement=Achievement.objects.get(code="first-lesson")
    )

    # The achievements not yet earned, the active days (once for three streaks), the grants of
    # streak-3 and streak-4 (each its savepoint, insert and release) and streak-3's bonus.
    with django_assert_num_queries(2 + 2 * 3 + 1):
        granted = grant_achievements(user_id=user.pk, rules=LESSON_RULES, xp=0)

    assert sorted(earned.achievement.code for earned in granted.achievements) == [
        "streak-3",
        "streak-4",
    ]
