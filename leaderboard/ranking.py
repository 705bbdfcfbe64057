"""The leaderboard: who is on it, in what order, with what counts, and where a learner stands."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Q
from django.utils import timezone

from accounts.models import User
from core.images import thumbnail_url
from core.queries import SubqueryCount
from courses.models import Course, LessonProgress
from leaderboard.models import UserAchievement

ORDER = ("-xp", "-level", "date_joined", "id")


def window_start(now=None):
    return (now or timezone.now()) - timedelta(days=settings.LEADERBOARD_WINDOW_DAYS)


def board(now=None):
    """Live learners active in the window, best first, each with exact per-row counts."""
    return (
        User.objects.active_since(window_start(now))
        .annotate(
            completed_lesson_count=SubqueryCount(
                LessonProgress.objects.filter(user=OuterRef("pk"), completed=True)
            ),
            achievement_count=SubqueryCount(UserAchievement.objects.filter(user=OuterRef("pk"))),
            created_course_count=SubqueryCount(Course.objects.filter(author=OuterRef("pk"))),
        )
        .only("id", "username", "avatar", "avatar_variants", "xp", "level", "date_joined")
        .order_by(*ORDER)
    )


@dataclass(frozen=True)
class Row:
    rank: int
    id: int
    username: str
    avatar: str
    xp: int
    level: int
    completed_lessons: int
    achievements: int
    courses_created: int
    joined: object

    def as_json(self):
        return {
            "rank": self.rank,
            "username": self.username,
            "avatar": self.avatar,
            "xp": self.xp,
            "level": self.level,
            "completed_lessons": self.completed_lessons,
            "achievements": self.achievements,
            "courses_created": self.courses_created,
            "joined": self.joined.isoformat(),
        }


def rows(*, offset: int, limit: int, now=None) -> list[Row]:
    users = board(now)[offset : offset + limit]
    return [
        Row(
            rank=offset + index + 1,
            id=user.pk,
            username=user.username,
            avatar=thumbnail_url(user.avatar) if user.avatar else "",
            xp=user.xp,
            level=user.level,
            completed_lessons=user.completed_lesson_count,
            achievements=user.achievement_count,
            courses_created=user.created_course_count,
            joined=user.date_joined,
        )
        for index, user in enumerate(users)
    ]


def board_size(now=None) -> int:
    return User.objects.active_since(window_start(now)).count()


def rank_of(user, now=None) -> int | None:
    """1-based rank, or None when the learner is not on the board (inactive or deleted)."""
    if not user.is_authenticated or user.deleted_at is not None:
        return None
    since = window_start(now)
    if user.last_active_at is None or user.last_active_at < since:
        return None
    ahead = (
        Q(xp__gt=user.xp)
        | Q(xp=user.xp, level__gt=user.level)
        | Q(xp=user.xp, level=user.level, date_joined__lt=user.date_joined)
        | Q(xp=user.xp, level=user.level, date_joined=user.date_joined, id__lt=user.pk)
    )
    return User.objects.active_since(since).filter(ahead).count() + 1
