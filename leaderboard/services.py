"""Achievement rules, run when something happens to one learner (never by scanning everyone)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import Standing, award_xp
from core.queries import CompiledQuery, concrete_columns
from courses.models import LessonProgress
from leaderboard.models import Achievement, UserAchievement

Rule = Achievement.Rule

# The rules each event offers (leaderboard/receivers.py). XP thresholds are checked after every
# event: a lesson's XP or an achievement's bonus can cross one.
LESSON_RULES = frozenset({Rule.FIRST_LESSON, Rule.STREAK})
COURSE_RULES = frozenset({Rule.FIRST_COURSE})
CHAT_RULES = frozenset({Rule.FIRST_CHAT})


@dataclass(frozen=True)
class Granted:
    achievements: list[UserAchievement]
    # The learner's XP and level after the bonuses; None when no bonus changed them.
    standing: Standing | None = None


def earned_achievements(
    candidates: Iterable[Achievement], *, rules, xp: int, has_streak: Callable[[int], bool]
) -> list[Achievement]:
    """Which of `candidates` (achievements the learner does not have) a learner with `xp` earns
    when the events behind `rules` happen, in the order they are granted. Each bonus counts
    towards the XP thresholds after it, so XP rules are checked again until nothing changes.
    `has_streak(days)`: whether the learner completed a lesson on each of `days` days in a row,
    the last of them today. Touches no database: grant_achievements and the demo data share it.
    """
    left = sorted(candidates, key=lambda a: (a.rule, a.threshold, a.code))
    earned = []
    pending_rules = set(rules) | {Rule.XP_THRESHOLD}
    while pending_rules:
        offered = [achievement for achievement in left if achievement.rule in pending_rules]
        pending_rules = set()
        for achievement in offered:
            if not _holds(achievement, xp=xp, has_streak=has_streak):
                continue
            earned.append(achievement)
            left.remove(achievement)
            if achievement.xp_bonus:
                xp += achievement.xp_bonus
                pending_rules = {Rule.XP_THRESHOLD}
    return earned


@transaction.atomic(savepoint=False)
def grant_achievements(*, user_id: int, rules, xp=None) -> Granted:
    """Grants every not-yet-earned achievement of these rules whose condition now holds.

    Each is granted once (a unique constraint is the final word under concurrency) and adds its
    XP bonus (see earned_achievements). `xp`: the learner's current XP when the caller has it
    (read here otherwise).
    """
    candidates = _unearned(frozenset(rules) | {Rule.XP_THRESHOLD})(user_id=user_id)
    if xp is None:
        xp = User.objects.filter(pk=user_id).values_list("xp", flat=True).get()
    today, days = timezone.localdate(), []

    def streak(length):  # the learner's active days read once, for every streak offered
        if not days:
            days.append(active_days(user_id=user_id))
        return streak_holds(days[0], length=length, today=today)

    granted, standing = [], None
    for achievement in earned_achievements(
        (Achievement(*row) for row in candidates), rules=rules, xp=xp, has_streak=streak
    ):
        earned = _grant(user_id=user_id, achievement=achievement)
        if earned is None:
            continue  # granted meanwhile by a concurrent request, which added its bonus
        granted.append(earned)
        if achievement.xp_bonus:
            standing = award_xp(user_id=user_id, amount=achievement.xp_bonus)
    return Granted(achievements=granted, standing=standing)


# Read on every lesson completion: compiled once per set of rules (core.queries.CompiledQuery),
# as building and compiling the QuerySet cost ~0.6 ms of CPU and running it ~0.1 ms.
_ACHIEVEMENT_COLUMNS = concrete_columns(Achievement)


@cache
def _unearned(rules: frozenset) -> CompiledQuery:
    """The achievements of these rules that the learner does not have, each row the model's
    columns in order (Achievement(*row))."""
    return CompiledQuery(
        lambda user_id: (
            Achievement.objects.filter(rule__in=sorted(rules))
            .exclude(earned__user_id=user_id)
            .values_list(*_ACHIEVEMENT_COLUMNS)
        )
    )


def _grant(*, user_id, achievement) -> UserAchievement | None:
    try:
        with transaction.atomic():
            return UserAchievement.objects.create(user_id=user_id, achievement=achievement)
    except IntegrityError:
        return None


def _holds(achievement: Achievement, *, xp: int, has_streak) -> bool:
    match achievement.rule:
        case Rule.XP_THRESHOLD:
            return xp >= achievement.threshold
        case Rule.STREAK:
            return has_streak(max(achievement.threshold, 1))
        case Rule.FIRST_LESSON | Rule.FIRST_COURSE | Rule.FIRST_CHAT:
            # Only offered when the event itself happened: the first one is this one.
            return True
    return False


def streak_holds(active: set[date], *, length: int, today: date) -> bool:
    return all(today - timedelta(days=back) in active for back in range(length))


_COMPLETED_AT = CompiledQuery(
    lambda user_id: LessonProgress.objects.filter(user_id=user_id, completed=True).values_list(
        "completed_at"
    )
)


def active_days(*, user_id: int) -> set[date]:
    """The days, in the current time zone, on which the learner completed a lesson (a learner
    completes each lesson once: a few dozen rows at most)."""
    return {timezone.localtime(at).date() for (at,) in _COMPLETED_AT(user_id=user_id) if at}
