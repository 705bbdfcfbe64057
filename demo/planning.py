"""The demo data planned in memory before anything is written: the learners, the lessons each
completed and when, and the XP and achievements that follow by the site's own rules
(leaderboard.services.earned_achievements), so the seeded data is what the site would have made.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from courses.models import Course, Lesson
from demo.content import FIRST_NAMES, LAST_NAMES
from leaderboard.models import Achievement
from leaderboard.services import (
    CHAT_RULES,
    COURSE_RULES,
    LESSON_RULES,
    earned_achievements,
)


@dataclass(frozen=True)
class CatalogLesson:
    id: int
    xp: int


@dataclass(frozen=True)
class CatalogCourse:
    id: int
    lessons: list[CatalogLesson]  # published, in order


@dataclass(frozen=True)
class Completion:
    course: int  # index into Plan.courses
    position: int  # index into that course's lessons
    completed_at: datetime


@dataclass
class PlannedLearner:
    index: int
    username: str
    joined: datetime
    last_active: datetime
    completions: list[Completion] = field(default_factory=list)
    xp: int = 0
    achievements: list[Achievement] = field(default_factory=list)

    def finished_courses(self, courses: list[CatalogCourse]) -> set[int]:
        done = {}
        for completion in self.completions:
            done[completion.course] = done.get(completion.course, 0) + 1
        return {course for course, count in done.items() if count == len(courses[course].lessons)}

    def has_streak(self, days: int) -> bool:
        """Whether some run of `days` days in a row each saw a completed lesson: the streak rule
        as it would have held on the run's last day."""
        dates = sorted({timezone.localtime(c.completed_at).date() for c in self.completions})
        run = 0
        for number, date in enumerate(dates):
            run = run + 1 if number and date - dates[number - 1] == timedelta(days=1) else 1
            if run >= days:
                return True
        return False


@dataclass
class Plan:
    now: datetime
    courses: list[CatalogCourse]
    learners: list[PlannedLearner]
    chat_authors: set[int] = field(default_factory=set)  # learner indexes


def published_courses() -> list[CatalogCourse]:
    """The published courses (the curriculum, and any made in the admin), each with its published
    lessons in order."""
    course_ids = list(Course.objects.published().in_catalog_order().values_list("id", flat=True))
    lessons = {course_id: [] for course_id in course_ids}
    for lesson_id, course_id, xp in (
        Lesson.objects.published()
        .filter(course_id__in=course_ids)
        .in_order()
        .values_list("id", "course_id", "xp_reward")
    ):
        lessons[course_id].append(CatalogLesson(lesson_id, xp))
    return [CatalogCourse(course_id, lessons[course_id]) for course_id in course_ids]


def plan_demo(
    *,
    rng: random.Random,
    users: int,
    progress_per_user: int,
    courses: list[CatalogCourse],
    achievements: list[Achievement],
    now: datetime,
) -> Plan:
    plan = Plan(now=now, courses=courses, learners=_plan_learners(rng, users, now))
    for learner in plan.learners:
        _plan_completions(rng, learner, courses, progress_per_user)
    plan.chat_authors = {rng.randrange(users) for _ in range(min(users, 40))}
    for learner in plan.learners:
        _plan_achievements(learner, plan, achievements)
    return plan


def _plan_learners(rng, count, now) -> list[PlannedLearner]:
    learners = []
    for index in range(count):
        joined = now - timedelta(days=rng.uniform(1, 365))
        if rng.random() < 0.8:
            last_active = now - timedelta(days=rng.uniform(0, 29))
        else:
            last_active = now - timedelta(days=rng.uniform(31, 120))
        last_active = max(last_active, joined)
        name = f"{rng.choice(FIRST_NAMES)}_{rng.choice(LAST_NAMES)}{index + 1}"
        learners.append(PlannedLearner(index, f"learner{index + 1}_{name}", joined, last_active))
    return learners


def _plan_completions(rng, learner, courses, per_user):
    """The learner works through courses from a random starting course, lessons in order."""
    if not courses:
        return
    wanted = min(int(rng.expovariate(1 / per_user)) if per_user else 0, 4 * per_user)
    course = first_course = rng.randrange(len(courses))
    while wanted > 0 and courses[course].lessons:
        lessons = courses[course].lessons
        taken = min(wanted, len(lessons))
        for position in range(taken):
            span = max((learner.last_active - learner.joined).total_seconds(), 1)
            completed_at = learner.joined + timedelta(seconds=rng.uniform(0, span))
            learner.completions.append(Completion(course, position, completed_at))
            learner.xp += lessons[position].xp
        wanted -= taken
        course = (course + 1) % len(courses)
        if course == first_course:
            break


def _plan_achievements(learner, plan, achievements):
    rules = set()
    if learner.completions:
        rules |= LESSON_RULES
    if learner.finished_courses(plan.courses):
        rules |= COURSE_RULES
    if learner.index in plan.chat_authors:
        rules |= CHAT_RULES
    if not rules:
        return
    learner.achievements = earned_achievements(
        achievements, rules=rules, xp=learner.xp, has_streak=learner.has_streak
    )
    learner.xp += sum(achievement.xp_bonus for achievement in learner.achievements)
