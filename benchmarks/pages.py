"""Server-side page timings: each page requested repeatedly in-process, uncached, with its query
count. Used by `manage.py bench_pages` and `bench_cache`."""

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


def _timed(client, url, repeat):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "rps": 1000 * len(timings) / sum(timings),
    }


CACHED_PAGES = ["home", "catalog", "course", "lesson", "leaderboard", "profile", "api courses",
                "api leaderboard"]  # fmt: skip


def cached_vs_uncached(*, repeat, roles):
    """{(role, page): {"uncached": figures, "cached": figures}}, measured back to back."""
    from django.core.cache import cache

    urls, learner = pages()
    results = {}
    for role in roles:
        client = Client()
        if role == "learner":
            client.force_login(learner)
        for name in CACHED_PAGES:
            url = urls[name]
            with override_settings(CACHES=UNCACHED):
                client.get(url)
                uncached = _timed(client, url, repeat)
            cache.delete_pattern("*")
            client.get(url)  # fills the cache
            cached = _timed(client, url, repeat)
            results[(role, name)] = {"uncached": uncached, "cached": cached}
    return results


def mixed_hit_rate(*, requests, warm=True, seed=3):
    """A browsing mix (mostly anonymous readers, some learners), after warm_cache as a deploy
    runs it (or from a cold cache); returns the hit rate per cache group, as counted by the
    cache layer itself."""
    import random

    from django.core.cache import cache

    from core import stats
    from courses.models import Lesson

    rng = random.Random(seed)
    cache.delete_pattern("*")
    if warm:
        from core import warming

        for path in warming.hot_paths():
            warming.warm(path)
    stats.reset()
    lessons = list(
        Lesson.objects.of_published_courses()
        .select_related("course")
        .values_list("course__slug", "slug")
    )
    courses = sorted({course for course, _ in lessons})
    learners = list(User.objects.active_since(ranking.window_start()).order_by("?")[:20])
    clients = [Client() for _ in range(20)]
    for client, learner in zip(clients, learners, strict=False):
        client.force_login(learner)
    anonymous = Client()
    for _ in range(requests):
        client = anonymous if rng.random() < 0.7 else rng.choice(clients)
        roll = rng.random()
        if roll < 0.45:
            course, lesson = rng.choice(lessons)
            url = f"/courses/{course}/{lesson}/"
        elif roll < 0.65:
            url = f"/courses/{rng.choice(courses)}/"
        elif roll < 0.8:
            url = "/courses/"
        elif roll < 0.9:
            url = "/leaderboard/"
        elif roll < 0.95:
            url = "/api/courses"
        else:
            url = "/"
        client.get(url)
    stats.flush()
    return stats.cache_report()
