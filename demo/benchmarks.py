"""Server-side page timings: each page requested repeatedly in-process, uncached, with its query
count. Used by `manage.py bench_pages`."""

import statistics
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from collaboration.models import Room
from courses.models import Course
from leaderboard import ranking

# Indexes that follow the queries (everything beyond Django's own foreign-key indexes).
QUERY_INDEXES = [
    "user_leaderboard_live",
    "user_last_active_live",
    "progress_user_completed",
    "progress_lesson_completed",
    "course_published_created",
    "lesson_course_position",
    "enrollment_user_status",
    "user_achievement_earned",
    "room_active_updated",
    "chat_room_created",
]

UNCACHED = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def pages():
    course = Course.objects.published().order_by("id").first()
    lesson = course.lessons.order_by("position").first()
    room = Room.objects.active().order_by("id").first()
    board = ranking.board_size()
    middle = User.objects.active_since(ranking.window_start()).order_by("-xp", "id")[board // 2]
    urls = {
        "home": "/",
        "catalog": "/courses/",
        "course": f"/courses/{course.slug}/",
        "lesson": f"/courses/{course.slug}/{lesson.slug}/",
        "leaderboard": "/leaderboard/",
        "leaderboard p100": "/leaderboard/?page=100",
        "profile": f"/u/{middle.username}/",
        "rooms": "/rooms/",
        "room": f"/rooms/{room.slug}/" if room else None,
        "api courses": "/api/courses",
        "api leaderboard": "/api/leaderboard",
        "api leaderboard +5000": "/api/leaderboard?offset=5000",
    }
    return {name: url for name, url in urls.items() if url}, middle


def measure(client, url, repeat):
    client.get(url)  # warm-up: template loading, connection
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries = len(captured)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "queries": queries,
    }


@contextmanager
def without_query_indexes():
    """Drops the query indexes inside a transaction that is always rolled back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in QUERY_INDEXES:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        try:
            yield
        finally:
            transaction.set_rollback(True)


def run(*, repeat, roles, progress=None):
    """Returns {(role, page): figures}."""
    results = {}
    with override_settings(CACHES=UNCACHED):
        urls, learner = pages()
        for role in roles:
            client = Client()
            if role == "learner":
                client.force_login(learner)
            for name, url in urls.items():
                results[(role, name)] = measure(client, url, repeat)
                if progress:
                    progress(role, name, results[(role, name)])
    return results
