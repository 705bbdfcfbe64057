"""Run as a separate process (settings come from the environment) against a primary and a
streaming replica; prints one JSON object describing what it saw. Driven by test_replicas.py."""

import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from courses.models import Course, Lesson  # noqa: E402


def wait_for_replica(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def queries_on(alias, fn):
    with CaptureQueriesContext(connections[alias]) as captured:
        result = fn()
    return result, len(captured)


def main():
    seen = {}
    call_command("migrate", verbosity=0)
    author = User.objects.create_user("author", "author@example.com", "pw-123456789")
    learner = User.objects.create_user("reader", "reader@example.com", "pw-123456789")
    course = Course.objects.create(slug="c", title="Course", published=True, author=author)
    first = Lesson.objects.create(course=course, position=1, slug="one", title="One", body="x")
    Lesson.objects.create(course=course, position=2, slug="two", title="Two", body="y")
    seen["replicated"] = wait_for_replica(
        lambda: (
            Lesson.objects.using("replica_0").filter(course__slug="c").count() == 2
            and User.objects.using("replica_0").filter(username="reader").exists()
        )
    )

    client = Client()
    client.force_login(learner)
    seen["replica_synced_session"] = wait_for_replica(
        lambda: User.objects.using("replica_0").filter(pk=learner.pk).exists()
    )
    response, seen["replica_queries_for_a_plain_read"] = queries_on(
        "replica_0", lambda: client.get("/courses/c/one/")
    )
    seen["plain_read_status"] = response.status_code

    # Freeze the replica so that it lags behind on purpose.
    with connections["replica_0"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    response = client.post("/courses/c/one/complete/")
    seen["complete_status"] = response.status_code
    seen["pin_cookie_max_age"] = response.cookies["ls_primary"]["max-age"]

    page, seen["replica_queries_right_after_writing"] = queries_on(
        "replica_0", lambda: client.get("/courses/c/one/")
    )
    seen["fresh_after_write"] = "You completed this lesson" in page.content.decode()

    # A read that is not pinned would have gone to the lagging replica and been stale.
    seen["replica_is_stale_while_paused"] = not first.progress.using("replica_0").exists()
    client.cookies.pop("ls_primary")
    cache.clear()  # the page, the learner's row and progress are read again, from the replica
    stale_page, seen["replica_queries_once_the_pin_expired"] = queries_on(
        "replica_0", lambda: client.get("/courses/c/one/")
    )
    seen["unpinned_read_status"] = stale_page.status_code

    with connections["replica_0"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    seen["replica_caught_up"] = wait_for_replica(
        lambda: first.progress.using("replica_0").filter(completed=True).exists()
    )
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
