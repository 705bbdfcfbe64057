"""The hot queries use indexes, checked with EXPLAIN on enough rows that the planner cares."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.models import Course, Lesson, LessonProgress
from demo.bulk import bulk_insert, refresh_statistics
from leaderboard import ranking
from tests.factories import CourseFactory, LessonFactory, RoomFactory

USERS = 30_000
PROGRESS_PER_USER = 6
MESSAGES = 20_000
GUARDED_TABLES = {
    User._meta.db_table,
    LessonProgress._meta.db_table,
    ChatMessage._meta.db_table,
}


def quiet(*args):
    pass


@pytest.fixture(scope="module")
def big_data(django_db_setup, django_db_blocker):
    """Rows enough for index plans; committed once for the module, removed afterwards."""
    with django_db_blocker.unblock():
        rng = random.Random(7)
        now = timezone.now()
        courses = [CourseFactory() for _ in range(10)]
        lessons = [LessonFactory(course=course) for course in courses for _ in range(12)]
        columns = ("username", "email", "password", "first_name", "last_name", "is_staff",
                   "is_active", "is_superuser", "date_joined", "last_active_at", "xp", "level",
                   "avatar")  # fmt: skip
        rows = (
            (
                f"bulk{i}",
                f"bulk{i}@example.com",
                "!",
                "",
                "",
                False,
                True,
                False,
                now - timedelta(days=rng.uniform(1, 400)),
                now - timedelta(days=rng.uniform(0, 90)),
                rng.randrange(5000),
                1,
                "",
            )
            for i in range(USERS)
        )
        bulk_insert(User, columns, rows, total=USERS, label="users", report=quiet)
        # Statistics before the rows that point at them: each COPY checks its foreign keys
        # with a plan made from the referenced table's statistics, and statistics of the few
        # rows an earlier test left would make that plan a sequential scan, once per row.
        refresh_statistics([User, Lesson])
        user_ids = list(
            User.objects.filter(username__startswith="bulk").values_list("id", flat=True)
        )
        progress = (
            (user_id, lesson.pk, True, now, now)
            for user_id in user_ids
            for lesson in rng.sample(lessons, PROGRESS_PER_USER)
        )
        bulk_insert(
            LessonProgress,
            ("user_id", "lesson_id", "completed", "completed_at", "updated_at"),
            progress,
            total=USERS * PROGRESS_PER_USER,
            label="progress",
            report=quiet,
        )
        rooms = [RoomFactory(owner_id=user_ids[i]) for i in range(20)]
        refresh_statistics([Room])
        messages = (
            (
                rooms[i % len(rooms)].pk,
                user_ids[i % len(user_ids)],
                "hi",
                now - timedelta(seconds=i),
            )
            for i in range(MESSAGES)
        )
        bulk_insert(
            ChatMessage,
            ("room_id", "author_id", "body", "created_at"),
            messages,
            total=MESSAGES,
            label="chat",
            report=quiet,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        yield {"user": User.objects.get(pk=user_ids[len(user_ids) // 2]), "room": rooms[0],
               "course": courses[0]}  # fmt: skip
        ChatMessage.objects.all().delete()
        Room.objects.all().delete()
        LessonProgress.objects.all().delete()
        Lesson.objects.all().delete()
        Course.objects.all().delete()
        User.objects.all().delete()


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def sequential_scans(plan):
    return sorted(table for table in GUARDED_TABLES if f"Seq Scan on {table}" in plan)


@pytest.fixture
def explain(big_data):
    def check(queryset):
        plan = plan_of(queryset)
        assert sequential_scans(plan) == [], plan
        return plan

    return check


@pytest.mark.django_db
def test_the_leaderboard_page_uses_the_leaderboard_index(explain):
    plan = explain(ranking.board_page(offset=0, limit=50))
    assert "user_leaderboard_live" in plan


@pytest.mark.django_db
def test_a_deep_leaderboard_page_walks_the_index_only(explain):
    plan = explain(ranking.board_page(offset=5_000, limit=50))
    assert "Index Only Scan using user_leaderboard_live" in plan


@pytest.mark.django_db
def test_a_learners_rank_counts_only_their_xp_on_the_index(explain, big_data):
    user = big_data["user"]
    since = ranking.window_start()
    # What rank_of runs: the learner's own row with the learners tied ahead of them.
    ties = ranking.with_ties_ahead(User.objects.filter(pk=user.pk), since=since)
    plan = explain(ties.values_list("tied_ahead"))
    assert "Index Only Scan using user_leaderboard_live" in plan
    assert "Index Cond: (xp = accounts_user.xp)" in plan


@pytest.mark.django_db
def test_the_catalog_for_a_learner_uses_indexes(explain, big_data):
    explain(Course.objects.published().with_lesson_counts().newest_first())
    user = big_data["user"]
    explain(LessonProgress.objects.completed().filter(user=user).values("lesson__course_id"))


@pytest.mark.django_db
def test_the_course_outline_uses_indexes(explain, big_data):
    course, user = big_data["course"], big_data["user"]
    explain(Lesson.objects.filter(course=course).in_order())
    explain(LessonProgress.objects.completed().filter(user=user, lesson__course=course))


@pytest.mark.django_db
def test_the_room_chat_uses_the_chat_index(explain, big_data):
    room = big_data["room"]
    plan = explain(
        ChatMessage.objects.filter(room=room).select_related("author").order_by("-created_at")[:50]
    )
    assert "chat_room_created" in plan
    explain(Room.objects.listing())


@pytest.mark.django_db
def test_profile_queries_use_indexes(explain, big_data):
    from courses.models import Enrollment
    from leaderboard.models import UserAchievement

    explain(UserAchievement.objects.earned_by(big_data["user"]))
    explain(Enrollment.objects.completed_courses_of(big_data["user"]))
