"""Achievement rules: which achievements an event earns, with and without the database."""

import pytest

from leaderboard.models import Achievement
from leaderboard.services import LESSON_RULES, earned_achievements

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
