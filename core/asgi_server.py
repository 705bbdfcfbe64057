"""An ASGI server (uvicorn serving config.asgi) as a child process: for the tests that need real
servers and for the benchmarks, started exactly the way `make asgi` and deploy start it."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

# The same options as `make asgi`. --ws-max-size sits above collaboration.frames.FRAME_MAX_CHARS,
# so an oversized frame gets an error frame from the consumer; only far larger ones are cut off
# by the server (close code 1009) before they are buffered whole. No per-message deflate: room
# frames are small, and compressing each one for each recipient was the difference between
# bench_rooms at 500 clients keeping up (delivery p95 ~160 ms, 46-58 % of a core a server) and
# falling seconds behind (60 % of a core and still short). Django has no lifespan handler.
UVICORN_OPTIONS = (
    "--ws-max-size",
    "1048576",
    "--ws-per-message-deflate",
    "false",
    "--lifespan",
    "off",
    "--no-access-log",
)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(first: int, last: int) -> int:
    for port in range(first, last + 1):
        if port_is_free(port):
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


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
        self.process = None

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 30):
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), *UVICORN_OPTIONS]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=settings.BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the ASGI server exited: see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.origin}/health", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the ASGI server did not answer in {timeout} s: see {self.log_path}")

    def kill(self):
        """SIGKILL: no shutdown handler runs, as when a machine or process dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self, *, timeout: float = 10):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(kilobytes.split()[1]) / 1024

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
