"""deploy/gunicorn.conf.py on its own: one instance, started as the cluster and the image do."""

import json
import os
import signal
import subprocess
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


FREEZING = """
import gc, importlib.util, sys
spec = importlib.util.spec_from_file_location("conf", sys.argv[1])
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)
worker = type("Worker", (), {})()
assert gc.get_freeze_count() == 0
conf.post_worker_init(worker)
loaded = gc.get_freeze_count()
lazily_loaded = [[n] for n in range(5000)]
for _ in range(conf.FREEZE_AGAIN_AFTER_REQUESTS - 1):
    conf.post_request(worker, None, {}, None)
before = gc.get_freeze_count()
conf.post_request(worker, None, {}, None)
after = gc.get_freeze_count()
later = [[n] for n in range(5000)]
conf.post_request(worker, None, {}, None)
print(loaded, before, after, gc.get_freeze_count())
"""


def test_a_worker_freezes_its_long_lived_objects_when_loaded_and_after_its_first_requests(
    tmp_path,
):
    env = {"PATH": os.environ["PATH"], "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    ran = subprocess.run(
        [sys.executable, "-c", FREEZING, str(BASE_DIR / "deploy" / "gunicorn.conf.py")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded, before, after, later = map(int, ran.stdout.split())
    assert loaded > 0  # the config's own modules, at least
    assert before == loaded  # not again before its first requests are served
    assert after >= loaded + 5000  # what those requests loaded, frozen too
    assert later == after  # and only then
