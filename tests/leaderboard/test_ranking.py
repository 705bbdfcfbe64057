from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services import soft_delete_user
from leaderboard import ranking
from tests.factories import (
    CourseFactory,
    LessonProgressFactory,
    UserAchievementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_counts_per_row_do_not_multiply():
    user = UserFactory(xp=500)
    for _ in range(3):
        LessonProgressFactory(user=user)
    LessonProgressFactory(user=user, completed=False, completed_at=None)
    UserAchievementFactory(user=user)
    UserAchievementFactory(user=user)
    CourseFactory(author=user)

    [row] = [row for row in ranking.rows(offset=0, limit=100) if row.id == user.pk]

    assert (row.completed_lessons, row.achievements, row.courses_created) == (3, 2, 1)


def test_order_is_xp_then_level_then_earliest_joined():
    now = timezone.now()
    low = UserFactory(xp=10, level=1)
    early = UserFactory(xp=300, level=3, date_joined=now - timedelta(days=10))
    late = UserFactory(xp=300, level=3, date_joined=now - timedelta(days=1))
    top = UserFactory(xp=900, level=5)

    names = [row.username for row in ranking.rows(offset=0, limit=10)]

    assert names == [top.username, early.username, late.username, low.username]
    assert [ranking.rank_of(user) for user in (top, early, late, low)] == [1, 2, 3, 4]


def test_inactive_and_deleted_learners_are_left_out():
    active = UserFactory(xp=10)
    UserFactory(xp=1000, last_active_at=timezone.now() - timedelta(days=31))
    UserFactory(xp=1000, last_active_at=None)
    deleted = UserFactory(xp=5000)
    soft_delete_user(user=deleted)

    assert [row.id for row in ranking.rows(offset=0, limit=10)] == [active.pk]
    assert ranking.board_size() == 1
    assert ranking.rank_of(deleted) is None


def test_offset_and_limit_page_through_the_board_with_continuous_ranks():
    for xp in range(10, 0, -1):
        UserFactory(xp=xp * 10)
    page = ranking.rows(offset=3, limit=4)
    assert [row.rank for row in page] == [4, 5, 6, 7]
    assert [row.xp for row in page] == [70, 60, 50, 40]


def test_every_learners_rank_is_their_place_on_the_board():
    now = timezone.now()
    same_day = now - timedelta(days=3)
    for n in range(40):
        xp = (0, 10, 10, 50, 120, 120, 120, 400)[n % 8]
        joined = same_day if n % 3 == 0 else now - timedelta(days=n)
        UserFactory(xp=xp, level=1 + n % 2 if xp == 120 else 1, date_joined=joined)
    UserFactory(xp=9000, last_active_at=now - timedelta(days=40))  # off the board: not counted

    board = list(ranking.board_ids().values_list("id", flat=True))
    users = {user.pk: user for user in User.objects.filter(pk__in=board)}

    assert [ranking.rank_of(users[pk]) for pk in board] == list(range(1, len(board) + 1))


def test_a_rank_takes_one_query_once_the_board_is_cached(django_assert_num_queries):
    low, *_ = [UserFactory(xp=xp) for xp in (10, 20, 30)]
    ranking.rank_of(low)
    with django_assert_num_queries(1):
        assert ranking.rank_of(low) == 3


def test_xp_just_earned_counts_in_the_rank_at_once():
    UserFactory(xp=100)
    me = UserFactory(xp=10)
    assert ranking.rank_of(me) == 2  # the board's XP histogram is cached from here on
    User.objects.filter(pk=me.pk).update(xp=200)
    me.refresh_from_db()
    assert ranking.rank_of(me) == 1


def test_ties_read_with_the_row_rank_like_the_separate_count(django_assert_num_queries):
    now = timezone.now()
    for level in (2, 2, 1, 3):  # same XP: level, then who joined first, orders them
        UserFactory(xp=50, level=level, last_active_at=now)
    UserFactory(xp=90, last_active_at=now)
    for learner in User.objects.all():
        [with_ties] = ranking.with_ties_ahead(User.objects.filter(pk=learner.pk))
        ranking.xp_histogram()  # cached: what is left is the tie count
        with django_assert_num_queries(0):
            read_with_the_row = ranking.rank_of(with_ties)
        assert read_with_the_row == ranking.rank_of(learner)
