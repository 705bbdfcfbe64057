"""Builds realistic demo data quickly: planned in memory (demo.planning), written with COPY
(demo.loading), with the planner's statistics refreshed after (demo.bulk).

Every demo learner is `learner<number>` with an address at DEMO_EMAIL_DOMAIN, which is how
`clear_demo_data` finds them again; courses, progress, achievements and rooms hang off them.
"""

import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.curriculum import load_curriculum
from courses.models import Course, Enrollment, Lesson, LessonProgress
from demo.bulk import Progress, refresh_statistics
from demo.clearing import clear_demo_data, demo_data_exists
from demo.content import ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_USERNAME
from demo.loading import load_plan
from demo.planning import plan_demo, published_courses
from leaderboard.models import Achievement, UserAchievement

SEEDED_TABLES = [
    User,
    Course,
    Lesson,
    LessonProgress,
    Enrollment,
    UserAchievement,
    Room,
    ChatMessage,
]


@dataclass(frozen=True)
class AdminAccount:
    username: str
    # The password seed_demo gave it; None for an account it did not make and left alone.
    password: str | None


@dataclass
class SeedSummary:
    admin: AdminAccount
    users: int = 0
    courses: int = 0
    lessons: int = 0
    progress: int = 0
    enrollments: int = 0
    achievements: int = 0
    rooms: int = 0
    messages: int = 0
    seconds: float = 0.0
    skipped: bool = False
    curriculum: str = ""


def ensure_admin() -> AdminAccount:
    """The demo's admin account, made with the published password when there is none. One that
    seed_demo made before (its address is ADMIN_EMAIL) gets that password and staff rights again;
    an `admin` account made any other way is not ours to touch and is left as it is."""
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        User.objects.create_superuser(
            username=ADMIN_USERNAME, email=ADMIN_EMAIL, password=ADMIN_PASSWORD
        )
    elif admin.email != ADMIN_EMAIL:
        return AdminAccount(username=ADMIN_USERNAME, password=None)
    else:
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(ADMIN_PASSWORD)
        admin.save(update_fields=["is_staff", "is_superuser", "is_active", "password"])
    return AdminAccount(username=ADMIN_USERNAME, password=ADMIN_PASSWORD)


def seed_demo(
    *,
    users: int,
    progress_per_user: int = 10,
    reset: bool = False,
    if_empty: bool = False,
    seed: int = 1,
    progress: Progress | None = None,
) -> SeedSummary:
    started = time.monotonic()
    report = progress or (lambda *args: None)
    summary = SeedSummary(admin=ensure_admin())
    if if_empty and demo_data_exists():
        summary.skipped = True
        return summary
    if reset or demo_data_exists():
        clear_demo_data(progress=report)

    rng = random.Random(seed)
    curriculum = load_curriculum(progress=report)
    plan = plan_demo(
        rng=rng,
        users=users,
        progress_per_user=progress_per_user,
        courses=published_courses(),
        achievements=list(Achievement.objects.all()),
        now=timezone.now(),
    )
    with transaction.atomic():
        loaded = load_plan(plan, rng=rng, report=report)
    refresh_statistics(SEEDED_TABLES, progress=report)

    summary.curriculum = curriculum.line()
    summary.courses = len(plan.courses)
    summary.lessons = sum(len(course.lessons) for course in plan.courses)
    summary.users, summary.progress = loaded.users, loaded.progress
    summary.enrollments, summary.achievements = loaded.enrollments, loaded.achievements
    summary.rooms, summary.messages = loaded.rooms, loaded.messages
    summary.seconds = time.monotonic() - started
    return summary
