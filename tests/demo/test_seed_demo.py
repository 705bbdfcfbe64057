import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.levels import level_for_xp
from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.curriculum import read_curriculum
from courses.models import Course, Enrollment, Lesson, LessonProgress
from leaderboard.models import UserAchievement

pytestmark = pytest.mark.django_db


def run_seed(*args):
    call_command("seed_demo", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_seed_demo_builds_consistent_data_and_can_run_again():
    run_seed("--users", "40", "--progress-per-user", "5")

    assert User.objects.filter(username__startswith="learner").count() == 40
    curriculum = read_curriculum()
    # The curriculum, loaded: no generated copies of courses.
    assert Course.objects.count() == len(curriculum)
    assert Lesson.objects.count() == sum(len(course.lessons) for course in curriculum)
    assert (
        LessonProgress.objects.exists() and Room.objects.exists() and ChatMessage.objects.exists()
    )
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.check_password("admin-learns-solidity")
    for user in User.objects.filter(username__startswith="learner"):
        lesson_xp = (
            LessonProgress.objects.filter(user=user, completed=True).aggregate(
                total=Sum("lesson__xp_reward")
            )["total"]
            or 0
        )
        bonus = (
            UserAchievement.objects.filter(user=user).aggregate(total=Sum("achievement__xp_bonus"))[
                "total"
            ]
            or 0
        )
        assert user.xp == lesson_xp + bonus
        assert user.level == level_for_xp(user.xp)
    for enrollment in Enrollment.objects.completed():
        done = LessonProgress.objects.filter(
            user=enrollment.user, lesson__course=enrollment.course, completed=True
        ).count()
        assert done == enrollment.course.lessons.count()

    run_seed("--users", "10", "--reset")
    assert User.objects.filter(username__startswith="learner").count() == 10
    assert Course.objects.count() == len(curriculum)  # a rerun loads the same curriculum


def test_seed_demo_if_empty_leaves_existing_data_alone():
    run_seed("--users", "5")
    run_seed("--users", "50", "--if-empty")
    assert User.objects.filter(username__startswith="learner").count() == 5


def test_seed_demo_refuses_negative_sizes():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run_seed("--users", "-1")


def test_seeding_leaves_postgresqls_planner_statistics_fresh():
    # Inside the test's transaction, so ANALYZE alone, and rolled back with it: statistics of a
    # few rows left committed in the test database would plan later tests' bulk loads badly.
    from django.db import connection

    run_seed("--users", "30")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('accounts_user', 'courses_lessonprogress')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        "accounts_user": User.objects.count(),
        "courses_lessonprogress": LessonProgress.objects.count(),
    }
