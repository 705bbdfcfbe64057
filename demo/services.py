"""Builds realistic demo data quickly: COPY on PostgreSQL, bulk_create elsewhere.

Every demo learner is `learner<number>` with an address at DEMO_EMAIL_DOMAIN, which is how
`clear_demo_data` finds them again; courses, progress, achievements and rooms hang off them.
"""

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.levels import level_for_xp
from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.curriculum import load_curriculum
from courses.models import Course, Enrollment, Lesson, LessonProgress
from demo import content
from leaderboard.models import Achievement, UserAchievement

DEMO_EMAIL_DOMAIN = "demo.learning-solidity.example"
DEMO_PASSWORD = "learn-solidity"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-learns-solidity"

FIRST_NAMES = [
    "ada",
    "vitalik",
    "gavin",
    "satoshi",
    "hal",
    "nick",
    "grace",
    "alan",
    "linus",
    "emin",
]
LAST_NAMES = ["byte", "chain", "block", "hash", "nonce", "gas", "wei", "node", "fork", "merkle"]

Progress = Callable[[str, int, int], None]


@dataclass
class SeedSummary:
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
    admin_username: str = ADMIN_USERNAME
    admin_password: str = ADMIN_PASSWORD


@dataclass
class _Learner:
    index: int
    username: str
    joined: object
    last_active: object
    lessons: list = field(default_factory=list)  # (lesson position in the flat plan, completed_at)
    xp: int = 0
    achievements: list = field(default_factory=list)


def demo_data_exists() -> bool:
    demo_users = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    return demo_users.exclude(username=ADMIN_USERNAME).exists()


def ensure_admin() -> User:
    admin, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"email": f"admin@{DEMO_EMAIL_DOMAIN}", "is_staff": True, "is_superuser": True},
    )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(ADMIN_PASSWORD)
    admin.save(update_fields=["is_staff", "is_superuser", "is_active", "password"])
    return admin


def clear_demo_data(*, progress: Progress | None = None) -> None:
    demo_users = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exclude(
        username=ADMIN_USERNAME
    )
    steps = [
        ("chat messages", ChatMessage.objects.filter(author__in=demo_users)),
        ("rooms", Room.objects.filter(owner__in=demo_users)),
        ("achievements", UserAchievement.objects.filter(user__in=demo_users)),
        ("progress", LessonProgress.objects.filter(user__in=demo_users)),
        ("enrollments", Enrollment.objects.filter(user__in=demo_users)),
        ("courses", Course.objects.filter(author__in=demo_users)),
        ("users", demo_users),
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
    summary = SeedSummary()
    ensure_admin()
    if if_empty and demo_data_exists():
        summary.skipped = True
        return summary
    if reset or demo_data_exists():
        clear_demo_data(progress=report)

    rng = random.Random(seed)
    now = timezone.now()
    achievements = {a.code: a for a in Achievement.objects.all()}
    curriculum = load_curriculum(progress=report)

    learners = _plan_learners(rng, users, now)
    course_rows, lesson_plan = _published_courses()
    _plan_progress(rng, learners, course_rows, lesson_plan, progress_per_user, now)
    chat_authors = {rng.randrange(len(learners)) for _ in range(min(len(learners), 40))}
    _plan_achievements(learners, course_rows, lesson_plan, achievements, chat_authors)

    with transaction.atomic():
        user_ids = _insert_users(learners, report)
        summary.users = len(user_ids)
        course_ids = [row["id"] for row in course_rows]
        lesson_ids = [[pk for pk, _ in lessons] for lessons in lesson_plan]
        summary.courses = len(course_ids)
        summary.lessons = sum(len(ids) for ids in lesson_ids)
        summary.curriculum = curriculum.line()
        summary.progress = _insert_progress(learners, user_ids, lesson_ids, report)
        summary.enrollments = _insert_enrollments(
            learners, user_ids, course_ids, lesson_plan, report
        )
        summary.achievements = _insert_achievements(learners, user_ids, achievements, report)
        summary.rooms, summary.messages = _insert_rooms(
            rng, learners, user_ids, lesson_ids, chat_authors, now, report
        )
    refresh_statistics(progress=report)
    summary.seconds = time.monotonic() - started
    return summary


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


def refresh_statistics(models=SEEDED_TABLES, *, progress: Progress | None = None) -> None:
    """After a bulk load, what autovacuum would do a minute later: PostgreSQL's planner gets the
    new row counts (until then it plans the leaderboard for 54 active learners instead of 81,634
    and reads them all), and the rows a reset deleted are vacuumed now rather than by an
    autovacuum that happens to start in the middle of a benchmark. ANALYZE alone inside a
    transaction, where VACUUM cannot run."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for number, model in enumerate(models, start=1):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
            if progress:
                progress(f"{command.lower()}", number, len(models))


def _plan_learners(rng, count, now) -> list[_Learner]:
    learners = []
    for index in range(count):
        joined = now - timedelta(days=rng.uniform(1, 365))
        if rng.random() < 0.8:
            last_active = now - timedelta(days=rng.uniform(0, 29))
        else:
            last_active = now - timedelta(days=rng.uniform(31, 120))
        last_active = max(last_active, joined)
        name = f"{rng.choice(FIRST_NAMES)}_{rng.choice(LAST_NAMES)}{index + 1}"
        learners.append(_Learner(index, f"learner{index + 1}_{name}", joined, last_active))
    return learners


def _published_courses():
    """The published courses (the curriculum, and any made in the admin) and, per course, its
    published lessons in order as (id, xp)."""
    courses = list(Course.objects.published().in_catalog_order().values("id", "title"))
    lessons = {course["id"]: [] for course in courses}
    for lesson in (
        Lesson.objects.published()
        .filter(course_id__in=lessons)
        .in_order()
        .values("id", "course_id", "xp_reward")
    ):
        lessons[lesson["course_id"]].append((lesson["id"], lesson["xp_reward"]))
    return courses, [lessons[course["id"]] for course in courses]


def _plan_progress(rng, learners, course_rows, lesson_plan, per_user, now):
    """Each learner works through courses from a random starting course, lessons in order."""
    if not course_rows:
        return
    for learner in learners:
        wanted = min(int(rng.expovariate(1 / per_user)) if per_user else 0, 4 * per_user)
        course = rng.randrange(len(course_rows))
        first_course = course
        while wanted > 0 and lesson_plan[course]:
            keys = lesson_plan[course]
            taken = min(wanted, len(keys))
            for position in range(taken):
                span = max((learner.last_active - learner.joined).total_seconds(), 1)
                completed_at = learner.joined + timedelta(seconds=rng.uniform(0, span))
                learner.lessons.append((course, position, completed_at))
                learner.xp += keys[position][1]
            wanted -= taken
            course = (course + 1) % len(course_rows)
            if course == first_course:
                break


def _plan_achievements(learners, course_rows, lesson_plan, achievements, chat_authors):
    def finished_courses(learner):
        done = {}
        for course, _, _ in learner.lessons:
            done[course] = done.get(course, 0) + 1
        return [course for course, n in done.items() if n == len(lesson_plan[course])]

    xp_rules = sorted(
        (a for a in achievements.values() if a.rule == Achievement.Rule.XP_THRESHOLD),
        key=lambda a: a.threshold,
    )
    for learner in learners:
        earned = []
        if learner.lessons and "first-lesson" in achievements:
            earned.append("first-lesson")
        if finished_courses(learner) and "first-course" in achievements:
            earned.append("first-course")
        if learner.index in chat_authors and "first-chat" in achievements:
            earned.append("first-chat")
        learner.xp += sum(achievements[code].xp_bonus for code in earned)
        for rule in xp_rules:  # ascending, so a bonus can unlock the next threshold
            if learner.xp >= rule.threshold:
                earned.append(rule.code)
                learner.xp += rule.xp_bonus
        learner.achievements = earned


def _insert_users(learners, report) -> list[int]:
    password = make_password(DEMO_PASSWORD)
    columns = (
        "username",
        "email",
        "password",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "is_superuser",
        "date_joined",
        "last_active_at",
        "xp",
        "level",
        "avatar",
    )
    rows = (
        (
            learner.username,
            f"{learner.username}@{DEMO_EMAIL_DOMAIN}",
            password,
            "",
            "",
            False,
            True,
            False,
            learner.joined,
            learner.last_active,
            learner.xp,
            level_for_xp(learner.xp),
            "",
        )
        for learner in learners
    )
    bulk_insert(User, columns, rows, total=len(learners), label="users", report=report)
    ids = dict(
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").values_list("username", "id")
    )
    return [ids[learner.username] for learner in learners]


def _insert_progress(learners, user_ids, lesson_ids, report) -> int:
    total = sum(len(learner.lessons) for learner in learners)
    rows = (
        (user_ids[learner.index], lesson_ids[course][position], True, completed_at, completed_at)
        for learner in learners
        for course, position, completed_at in learner.lessons
    )
    columns = ("user_id", "lesson_id", "completed", "completed_at", "updated_at")
    bulk_insert(LessonProgress, columns, rows, total=total, label="lesson progress", report=report)
    return total


def _insert_enrollments(learners, user_ids, course_ids, lesson_plan, report) -> int:
    rows = []
    for learner in learners:
        per_course = {}
        for course, _, completed_at in learner.lessons:
            count, first, last = per_course.get(course, (0, completed_at, completed_at))
            per_course[course] = (count + 1, min(first, completed_at), max(last, completed_at))
        for course, (count, first, last) in per_course.items():
            finished = count == len(lesson_plan[course])
            rows.append(
                (
                    user_ids[learner.index],
                    course_ids[course],
                    "completed" if finished else "active",
                    first,
                    last if finished else None,
                )
            )
    columns = ("user_id", "course_id", "status", "created_at", "completed_at")
    bulk_insert(Enrollment, columns, rows, total=len(rows), label="enrollments", report=report)
    return len(rows)


def _insert_achievements(learners, user_ids, achievements, report) -> int:
    rows = [
        (user_ids[learner.index], achievements[code].pk, learner.last_active)
        for learner in learners
        for code in learner.achievements
    ]
    columns = ("user_id", "achievement_id", "earned_at")
    bulk_insert(
        UserAchievement, columns, rows, total=len(rows), label="achievements", report=report
    )
    return len(rows)


def _insert_rooms(rng, learners, user_ids, lesson_ids, chat_authors, now, report):
    if not learners:
        return 0, 0
    flat_lessons = [pk for ids in lesson_ids for pk in ids]
    starters = dict(Lesson.objects.filter(pk__in=flat_lessons).values_list("pk", "starter_code"))
    authors = sorted(chat_authors)
    rooms = []
    for number, title in enumerate(content.ROOM_TITLES[: max(1, min(8, len(learners) // 5))]):
        lesson_id = rng.choice(flat_lessons) if flat_lessons and number % 2 == 0 else None
        room = Room(
            slug=f"{slugify(title)}-{number + 1}",
            title=title,
            owner_id=user_ids[rng.choice(authors)],
            lesson_id=lesson_id,
        )
        if lesson_id and starters.get(lesson_id):
            room.code = starters[lesson_id]
        rooms.append(room)
    Room.objects.bulk_create(rooms)
    rooms = list(Room.objects.filter(slug__in=[room.slug for room in rooms]))
    messages = []
    for room in rooms:
        for minute in range(rng.randint(5, 15)):
            author = user_ids[rng.choice(authors)]
            body = rng.choice(content.CHAT_LINES)
            messages.append((room.pk, author, body, now - timedelta(minutes=60 - minute * 3)))
    # Every planned chat author says something, so their first-chat achievement is true.
    spoken = {author for _, author, _, _ in messages}
    messages += [
        (rooms[0].pk, user_ids[index], "Hello, room!", now)
        for index in authors
        if user_ids[index] not in spoken
    ]
    columns = ("room_id", "author_id", "body", "created_at")
    bulk_insert(ChatMessage, columns, messages, total=len(messages), label="chat", report=report)
    return len(rooms), len(messages)


def bulk_insert(model, columns, rows: Iterable[tuple], *, total, label, report, chunk=20_000):
    """Inserts plain tuples fast: COPY on PostgreSQL, bulk_create batches elsewhere."""
    report(label, 0, total)
    done = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        table = model._meta.db_table
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
                if done % chunk == 0:
                    report(label, done, total)
    else:
        fields = [model._meta.get_field(_field_name(model, column)) for column in columns]
        batch = []
        for row in rows:
            batch.append(model(**{f.attname: value for f, value in zip(fields, row, strict=True)}))
            if len(batch) >= 2_000:
                model.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                report(label, done, total)
        model.objects.bulk_create(batch)
        done += len(batch)
    report(label, done, total)
    return done


def _field_name(model, column):
    for model_field in model._meta.concrete_fields:
        if model_field.column == column:
            return model_field.name
    raise ValueError(f"{model.__name__} has no column {column}")
