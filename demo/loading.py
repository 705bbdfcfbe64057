"""Writes a planned demo (demo.planning.Plan) to the database, table by table, through
demo.bulk.bulk_insert: the plan's learners become users, their completions progress rows and
enrollments, their achievements earned achievements, and a few of them rooms with chat."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from accounts.levels import level_for_xp
from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.models import Enrollment, Lesson, LessonProgress
from demo import content
from demo.bulk import bulk_insert
from demo.planning import Plan
from leaderboard.models import UserAchievement


@dataclass(frozen=True)
class Loaded:
    """How many rows of each kind were written."""

    users: int
    progress: int
    enrollments: int
    achievements: int
    rooms: int
    messages: int


def load_plan(plan: Plan, *, rng, report) -> Loaded:
    user_ids = _insert_users(plan, report)
    progress = _insert_progress(plan, user_ids, report)
    enrollments = _insert_enrollments(plan, user_ids, report)
    achievements = _insert_achievements(plan, user_ids, report)
    rooms, messages = _insert_rooms(plan, user_ids, rng=rng, report=report)
    return Loaded(
        users=len(user_ids),
        progress=progress,
        enrollments=enrollments,
        achievements=achievements,
        rooms=rooms,
        messages=messages,
    )


def _insert_users(plan, report) -> list[int]:
    """The new users' ids, in the plan's order of learners."""
    password = make_password(content.DEMO_PASSWORD)
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
            f"{learner.username}@{content.DEMO_EMAIL_DOMAIN}",
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
        for learner in plan.learners
    )
    bulk_insert(User, columns, rows, total=len(plan.learners), label="users", report=report)
    demo_users = User.objects.filter(email__endswith=f"@{content.DEMO_EMAIL_DOMAIN}")
    ids = dict(demo_users.values_list("username", "id"))
    return [ids[learner.username] for learner in plan.learners]


def _insert_progress(plan, user_ids, report) -> int:
    total = sum(len(learner.completions) for learner in plan.learners)
    rows = (
        (
            user_ids[learner.index],
            plan.courses[done.course].lessons[done.position].id,
            True,
            done.completed_at,
            done.completed_at,
        )
        for learner in plan.learners
        for done in learner.completions
    )
    columns = ("user_id", "lesson_id", "completed", "completed_at", "updated_at")
    bulk_insert(LessonProgress, columns, rows, total=total, label="lesson progress", report=report)
    return total


def _insert_enrollments(plan, user_ids, report) -> int:
    rows = []
    for learner in plan.learners:
        per_course = {}  # course -> (lessons done, first completion, last completion)
        for done in learner.completions:
            at = done.completed_at
            count, first, last = per_course.get(done.course, (0, at, at))
            per_course[done.course] = (count + 1, min(first, at), max(last, at))
        for course, (count, first, last) in per_course.items():
            finished = count == len(plan.courses[course].lessons)
            rows.append(
                (
                    user_ids[learner.index],
                    plan.courses[course].id,
                    Enrollment.Status.COMPLETED if finished else Enrollment.Status.ACTIVE,
                    first,
                    last if finished else None,
                )
            )
    columns = ("user_id", "course_id", "status", "created_at", "completed_at")
    bulk_insert(Enrollment, columns, rows, total=len(rows), label="enrollments", report=report)
    return len(rows)


def _insert_achievements(plan, user_ids, report) -> int:
    rows = [
        (user_ids[learner.index], achievement.pk, learner.last_active)
        for learner in plan.learners
        for achievement in learner.achievements
    ]
    columns = ("user_id", "achievement_id", "earned_at")
    bulk_insert(
        UserAchievement, columns, rows, total=len(rows), label="achievements", report=report
    )
    return len(rows)


def _insert_rooms(plan, user_ids, *, rng, report) -> tuple[int, int]:
    """Rooms owned by the plan's chat authors, and their chat; returns (rooms, messages)."""
    if not plan.learners:
        return 0, 0
    flat_lessons = [lesson.id for course in plan.courses for lesson in course.lessons]
    starters = dict(Lesson.objects.filter(pk__in=flat_lessons).values_list("pk", "starter_code"))
    authors = sorted(plan.chat_authors)
    rooms = []
    room_count = max(1, min(8, len(plan.learners) // 5))
    for number, title in enumerate(content.ROOM_TITLES[:room_count]):
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
            messages.append((room.pk, author, body, plan.now - timedelta(minutes=60 - minute * 3)))
    # Every planned chat author says something, so their first-chat achievement is true.
    spoken = {author for _, author, _, _ in messages}
    messages += [
        (rooms[0].pk, user_ids[index], "Hello, room!", plan.now)
        for index in authors
        if user_ids[index] not in spoken
    ]
    columns = ("room_id", "author_id", "body", "created_at")
    bulk_insert(ChatMessage, columns, messages, total=len(messages), label="chat", report=report)
    return len(rooms), len(messages)
