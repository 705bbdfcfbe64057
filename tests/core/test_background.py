"""Background jobs that nobody runs are visible in /ready and the admin."""

import contextlib
import os
import signal
import subprocess
import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings

from core import background
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """A real Redis as the broker, on a database of its own, with one queued task in it."""
    url = settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[0] + "/9"
    client = redis.Redis.from_url(url)
    client.delete(background.QUEUE)
    client.rpush(background.QUEUE, b"{}")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
        yield client
    client.delete(background.QUEUE)


def test_without_a_broker_tasks_run_eagerly(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        assert client.get("/ready").json()["background_jobs"] == {"mode": "eager"}


def test_a_queue_nobody_consumes_shows_in_ready_and_in_the_admin(client, broker):
    cache.delete(background.HEARTBEAT_KEY)
    jobs = client.get("/ready").json()["background_jobs"]
    assert jobs == {
        "mode": "worker", "queued": 1, "worker_seen_seconds_ago": None, "unconsumed": True,
    }  # fmt: skip
    staff = Client()
    staff.force_login(StaffFactory(is_superuser=True))
    assert "no Celery worker has been heard from" in staff.get("/admin/").content.decode()

    background.beat_once()  # what a running worker does every few seconds
    jobs = client.get("/ready").json()["background_jobs"]
    assert jobs["unconsumed"] is False and 0 <= jobs["worker_seen_seconds_ago"] < 5
    assert client.get("/ready").status_code == 200  # it never decides readiness


def test_make_runs_script_says_what_runs_the_background_jobs(tmp_path):
    # The script's first line of output, without a broker (it then starts uvicorn: stopped here).
    process = subprocess.Popen(
        ["bash", "deploy/run_dev.sh", "18990"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        text=True,
        start_new_session=True,  # so that uvicorn and its reloader stop with it
    )
    try:
        first = process.stdout.readline()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        time.sleep(0.5)  # a uvicorn forked as the signal arrived: the group's stragglers
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert first.startswith("Background jobs: no broker configured")
