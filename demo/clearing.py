"""Removes the demo data: the demo learners (not the admin account) and everything that hangs
off them, table by table, each in its own transaction."""

from django.db import transaction

from accounts.models import User
from collaboration.models import ChatMessage, Room, RoomMember
from courses.models import Course, Enrollment, ExercisePass, LessonProgress
from demo.bulk import Progress
from demo.content import ADMIN_USERNAME, DEMO_EMAIL_DOMAIN
from leaderboard.models import UserAchievement


def demo_learners():
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exclude(
        username=ADMIN_USERNAME
    )


def demo_data_exists() -> bool:
    return demo_learners().exists()


def clear_demo_data(*, progress: Progress | None = None) -> None:
    learners = demo_learners()
    steps = [
        ("chat messages", ChatMessage.objects.filter(author__in=learners)),
        ("room memberships", RoomMember.objects.filter(user__in=learners)),
        ("rooms", Room.objects.filter(owner__in=learners)),
        ("achievements", UserAchievement.objects.filter(user__in=learners)),
        ("exercise passes", ExercisePass.objects.filter(user__in=learners)),
        ("progress", LessonProgress.objects.filter(user__in=learners)),
        ("enrollments", Enrollment.objects.filter(user__in=learners)),
        ("courses", Course.objects.filter(author__in=learners)),
        ("users", learners),
    ]
    for number, (label, queryset) in enumerate(steps, start=1):
        with transaction.atomic():
            if label == "users":
                # Everything that points at them is gone: one DELETE, not Django's cascade walk.
                queryset._raw_delete(queryset.db)
            else:
                queryset.delete()
        if progress:
            progress(f"clearing {label}", number, len(steps))
