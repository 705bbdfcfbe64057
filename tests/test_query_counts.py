"""Every page and endpoint runs the same number of queries whatever the data size."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collaboration.models import ChatMessage, Room
from courses.exercises import record_pass
from courses.models import Course, Enrollment, ExercisePass, Lesson, LessonProgress
from leaderboard.models import Achievement, UserAchievement
from tests.factories import (
    ChatMessageFactory,
    CourseFactory,
    LessonFactory,
    LessonProgressFactory,
    RoomFactory,
    StaffFactory,
    UserAchievementFactory,
    UserFactory,
)

PAGE_QUERY_BUDGET = 8

SITE_PAGES = [
    "/",
    "/courses/",
    "/courses/{course}/",
    "/courses/{course}/{lesson}/",
    "/leaderboard/",
    "/u/{username}/",
    "/rooms/",
    "/rooms/{room}/",
    "/rooms/{room}/messages/",
    "/api/courses",
    "/api/leaderboard",
    "/api/leaderboard?limit=10&offset=2",
    "/health",
    "/sw.js",
    "/accounts/login/",
    "/accounts/signup/",
    "/search/?q=lesson",
]

ADMIN_MODELS = [
    Course,
    Lesson,
    ExercisePass,
    Enrollment,
    LessonProgress,
    Achievement,
    UserAchievement,
    Room,
    ChatMessage,
]


def grow(size, *, learner):
    """Adds `size` of everything, all of it touching the pages under test."""
    course = Course.objects.order_by("id").first() or CourseFactory(slug="guarded")
    achievements = [UserAchievementFactory.build().achievement for _ in range(0)]
    del achievements
    room = Room.objects.order_by("id").first() or RoomFactory(slug="guarded-room")
    for _ in range(size):
        author = UserFactory()
        other_course = CourseFactory(author=author)
        lessons = [LessonFactory(course=course), LessonFactory(course=other_course)]
        for lesson in lessons:
            LessonProgressFactory(user=learner, lesson=lesson)
            LessonProgressFactory(user=author, lesson=lesson)
            record_pass(user=learner, lesson=lesson, gas=1000 + size)
            record_pass(user=author, lesson=lesson, gas=900)
        UserAchievementFactory(user=author)
        UserAchievementFactory(user=learner)
        Enrollment.objects.create(user=learner, course=other_course, status="completed")
        ChatMessageFactory(room=room, author=author)
        RoomFactory(owner=author, lesson=lessons[0])
    return course, room


def count_queries(client, url):
    """Queries of an uncached request: this run's cache keys are emptied first."""
    cache.delete_pattern("*")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def urls_for(course, room, learner):
    lesson = course.lessons.order_by("position").first()
    values = {
        "course": course.slug,
        "lesson": lesson.slug,
        "room": room.slug,
        "username": learner.username,
    }
    return [page.format(**values) for page in SITE_PAGES]


def admin_urls():
    urls = []
    for model in [*ADMIN_MODELS, type(UserFactory._meta.model())]:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        obj = model.objects.order_by("id").first()
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_site_pages_run_a_constant_number_of_queries(client, role):
    learner = UserFactory(last_active_at=timezone.now() - timedelta(hours=1))
    if role == "learner":
        client.force_login(learner)
    course, room = grow(3, learner=learner)
    urls = urls_for(course, room, learner)
    if role == "learner":
        urls = [url for url in urls if not url.startswith("/accounts/")]
    for url in urls:  # warm-up: one-off work such as the last-active write
        client.get(url)
    small = {url: count_queries(client, url) for url in urls}

    grow(30, learner=learner)
    large = {url: count_queries(client, url) for url in urls}

    assert large == small
    over_budget = {url: n for url, n in large.items() if n > PAGE_QUERY_BUDGET}
    assert over_budget == {}


@pytest.mark.django_db
def test_admin_pages_run_a_constant_number_of_queries(client):
    learner = UserFactory()
    client.force_login(StaffFactory())
    grow(3, learner=learner)
    urls = admin_urls()
    for url in urls:
        client.get(url)
    small = {url: count_queries(client, url) for url in urls}

    grow(30, learner=learner)
    large = {url: count_queries(client, url) for url in urls}

    assert large == small
