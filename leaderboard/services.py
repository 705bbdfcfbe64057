"""Achievement rules, run when something happens to one learner (never by scanning everyone)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from accounts.services import Standing, award_xp
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


@transaction.atomic(savepoint=False)
def grant_achievements(*, user_id: int, rules, xp=None) -> Granted:
    """Grants every not-yet-earned achievement of these rules whose condition now holds.

    Each is granted once (a unique constraint is the final word under concurrency) and adds its
    XP bonus; bonuses can cross XP thresholds, so XP rules are checked again until nothing changes.
    `xp`: the learner's current XP when the caller has it (read here otherwise).
    """
    granted, standing = [], None
    pending_rules = set(rules) | {Rule.XP_THRESHOLD}
    if xp is None:
        xp = User.objects.filter(pk=user_id).values_list("xp", flat=True).get()
    while pending_rules:
        candidates = list(
            Achievement.objects.filter(rule__in=pending_rules).exclude(earned__user_id=user_id)
        )
        pending_rules = set()
        for achievement in candidates:
            if not _holds(achievement, user_id=user_id, xp=xp):
                continue
            earned = _grant(user_id=user_id, achievement=achievement)
            if earned is None:
                continue
            granted.append(earned)
            if achievement.xp_bonus:
                standing = award_xp(user_id=user_id, amount=achievement.xp_bonus)
                xp = standing.xp
                pending_rules = {Rule.XP_THRESHOLD}
    return Granted(achievements=granted, standing=standing)


def _grant(*, user_id, achievement) -> UserAchievement | None:
    try:
        with transaction.atomic():
            return UserAchievement.objects.create(user_id=user_id, achievement=achievement)
    except IntegrityError:
        return None


def _holds(achievement: Achievement, *, user_id: int, xp: int) -> bool:
    match achievement.rule:
        case Rule.XP_THRESHOLD:
            return xp >= achievement.threshold
        case Rule.STREAK:
            return has_streak(user_id=user_id, days=max(achievement.threshold, 1))
        case Rule.FIRST_LESSON | Rule.FIRST_COURSE | Rule.FIRST_CHAT:
            # Only offered when the event itself happened: the first one is this one.
            return True
    return False


def has_streak(*, user_id: int, days: int, today=None) -> bool:
    """True when the learner completed a lesson on each of the last `days` days, today included."""
    today = today or timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    active_days = (
        LessonProgress.objects.filter(
            user_id=user_id, completed=True, completed_at__date__gte=first_day
        )
        .annotate(day=TruncDate("completed_at"))
        .values("day")
        .distinct()
        .count()
    )
    return active_days >= days
