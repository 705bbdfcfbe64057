"""deploy/gunicorn.conf.py on its own: one instance, started as the cluster and the image do."""

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from deploy import processes
from deploy.cluster import BASE_DIR
from tests.deploy.ports import port
from tests.deploy.traffic import Browser

pytestmark = pytest.mark.cluster

ADDRESS = f"127.0.0.1:{port(85)}"


def _wait_until(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def test_sigterm_turns_readiness_false_while_the_instance_still_serves_then_stops(tmp_path):
    drain_file = tmp_path / "draining"
    drain_file.touch()  # left over from an earlier run: the instance must clear it
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DATABASE_POOL": "false",
        "REDIS_URL": os.environ["REDIS_URL"],
        "GUNICORN_BIND": ADDRESS,
        "GUNICORN_WORKERS": "1",
        "GUNICORN_CONTROL_SOCKET": str(tmp_path / "gunicorn.ctl"),
        "DRAIN_FILE": str(drain_file),
        "GUNICORN_DRAIN_SECONDS": "3",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
        "--bind",
        ADDRESS,
    ]
    pid = processes.spawn(command, env=env, log=tmp_path / "gunicorn.log")
    browser = Browser(ADDRESS)
    try:
        _wait_until(lambda: processes.http_status(ADDRESS, "/health") == 200, 30, "no start")
        assert "draining" not in json.loads(browser.get("/ready").body)["failing"]
        assert (tmp_path / "gunicorn.ctl").exists()

        os.kill(pid, signal.SIGTERM)
        _wait_until(drain_file.exists, 2, "SIGTERM did not mark the instance draining")
        ready = browser.get("/ready")
        assert ready.status == 503
        assert "draining" in json.loads(ready.body)["failing"]
        assert browser.get("/health").status == 200, "stopped serving before the drain ended"

        _wait_until(lambda: not processes.alive(pid), 30, "did not stop after draining")
    finally:
        processes.terminate(pid, token=ADDRESS, timeout=5)
