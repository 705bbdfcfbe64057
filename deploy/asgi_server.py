"""An ASGI server (uvicorn serving config.asgi) as a child process, for the tests that need real
servers and for the benchmarks: the command line of deploy/topology.py, started, watched and
stopped by deploy/processes.py like the cluster's."""

import os
import signal
import sys
from pathlib import Path

from django.conf import settings

from deploy import processes
from deploy.topology import asgi_argv


def database_url(database: dict) -> str:
    """A DATABASE_URL for the server processes, pointing at `database` (a settings dict): the
    test database pytest-django created, in tests."""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{database['USER']}{password}@{host}:{port}/{database['NAME']}"


def server_environment(*, database: dict, **extra) -> dict:
    """What a server needs to share this process's database, Redis, cache key prefix (and so its
    channel layer and presence keys) and SECRET_KEY (session cookies signed here verify there)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(database),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(extra)
    return env


class AsgiServer:
    def __init__(self, *, port: int, env: dict, log_path: Path):
        self.port, self.env, self.log_path = port, env, log_path
        self.pid = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.address}"

    @property
    def origin(self) -> str:
        return f"http://{self.address}"

    @property
    def process(self) -> processes.Process:
        return processes.Process(
            "the ASGI server",
            [sys.executable, "-m", *asgi_argv("uvicorn", host="127.0.0.1", port=self.port)],
            self.log_path,
            identity=f"--port {self.port}",
            port=self.port,
            ready="/health",
            ready_timeout=30,
            stop_timeout=10,
        )

    def start(self):
        self.pid = self.process.start(env=self.env)
        try:
            self.process.wait_ready(self.pid)
        except processes.ProcessError:
            self.kill()
            raise
        return self

    def kill(self):
        """SIGKILL: no shutdown handler runs, as when a machine or process dies."""
        if processes.alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
        processes.kill_group(self.pid)

    def stop(self):
        if self.pid:
            self.process.stop(self.pid)

    def rss_mb(self) -> float:
        return processes.rss_mb(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        return processes.tail(self.log_path, lines)
