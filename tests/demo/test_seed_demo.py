from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from accounts.levels import level_for_xp
from accounts.models import User
from collaboration.models import ChatMessage, Room, RoomMember
from courses.curriculum import read_curriculum
from courses.models import Course, Enrollment, ExercisePass, Lesson, LessonProgress
from leaderboard.models import UserAchievement

pytestmark = pytest.mark.django_db


def run_seed(*args) -> str:
    """seed_demo as a developer runs it (DEBUG on); what it printed."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


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


def test_seed_demo_reset_clears_what_learners_did_on_the_site_since():
    run_seed("--users", "5")
    learner = User.objects.filter(username__startswith="learner").first()
    lesson = Lesson.objects.first()
    room = Room.objects.exclude(owner=learner).first()
    # What the demo itself never makes: a passed exercise and a room joined.
    ExercisePass.objects.create(user=learner, lesson=lesson, gas=21000, passed_at=timezone.now())
    RoomMember.objects.create(room=room, user=learner)

    run_seed("--users", "5", "--reset")

    assert not ExercisePass.objects.exists()
    assert not RoomMember.objects.filter(user__username=learner.username).exists()
    assert User.objects.filter(username__startswith="learner").count() == 5


def test_seed_demo_if_empty_leaves_existing_data_alone():
    run_seed("--users", "5")
    run_seed("--users", "50", "--if-empty")
    assert User.objects.filter(username__startswith="learner").count() == 5


def test_seed_demo_refuses_negative_sizes():
    with pytest.raises(CommandError, match="must not be negative"):
        run_seed("--users", "-1")


@pytest.mark.parametrize(
    "configuration", [{"DEBUG": False}, {"DEBUG": True, "PRODUCTION": True}], ids=str
)
def test_seed_demo_refuses_a_production_configuration_unless_told_to(configuration):
    with override_settings(**configuration), pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--users", "3", stdout=StringIO())
    assert not User.objects.exists()

    with override_settings(**configuration):
        call_command("seed_demo", "--users", "3", "--allow-production", stdout=StringIO())
    assert User.objects.filter(username__startswith="learner").count() == 3


def test_an_admin_account_seed_demo_did_not_make_is_left_alone():
    mine = User.objects.create_user(
        username="admin", email="ops@example.com", password="the operators-own-password"
    )

    printed = run_seed("--users", "3")

    admin = User.objects.get(pk=mine.pk)
    assert (admin.is_staff, admin.is_superuser, admin.email) == (False, False, "ops@example.com")
    assert admin.check_password("the operators-own-password")
    assert "already exists and was not made by seed_demo" in printed
    assert "admin-learns-solidity" not in printed
    run_seed("--clear")
    assert User.objects.filter(pk=mine.pk).exists()


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
