"""A Redis of the test's own, on a free port: paused, flushed, killed and restarted without
touching the shared one. `own_redis` points both caches (pages; counters and sessions) at it,
with a one-second circuit breaker."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self, *extra_args: str):
        self.port = free_port()
        self.process = None
        self.extra_args = list(extra_args)  # e.g. "--maxmemory", "1mb"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", *self.extra_args],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)

    def pause(self, seconds: float):
        """Redis stops answering every client for `seconds`, then resumes with its data: the
        timeout a busy or failing-over Redis gives, which opens the circuit breaker."""
        self.client().client_pause(int(seconds * 1000), all=True)


def caches_on(servers: dict, settings) -> dict:
    """CACHES with each alias in `servers` on that OwnRedis, with a one-second breaker."""
    return {
        alias: {
            **settings.CACHES[alias],
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {**settings.CACHES[alias]["OPTIONS"], "BREAKER_RESET_SECONDS": 1},
        }
        for alias, server in servers.items()
    }


@pytest.fixture
def own_redis(settings):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    server = OwnRedis()
    server.start()
    # Through the `settings` fixture, not override_settings: a test that changes other settings
    # with it too gets every change undone together, the caches last pointed at the shared Redis.
    settings.CACHES = caches_on({"default": server, "counters": server}, settings)
    yield server
    for alias in ("default", "counters"):
        caches[alias].close()
    if server.process.poll() is None:
        server.kill()
