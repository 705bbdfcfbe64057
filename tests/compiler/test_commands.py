import os
import signal
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from compiler.daemon import ServiceClient
from tests.compiler.sources import COUNTER

pytestmark = pytest.mark.django_db


def test_compiler_status_shows_version_workers_memory_queue_and_hit_rate(client, compiler):
    for _ in range(3):
        client.post("/api/compile", {"source": COUNTER}, content_type="application/json")
    out = StringIO()

    call_command("compiler_status", stdout=out)

    text = out.getvalue()
    assert "solc 0.8." in text
    for worker in ServiceClient(compiler.socket_path).status()["workers"]:
        assert str(worker["pid"]) in text
    assert " MB" in text and "Queue: 0 waiting" in text
    assert "Cache: 2 hits, 1 misses, hit rate 66.7%" in text


def test_compiler_status_without_a_shared_service_says_so(settings):
    settings.COMPILER_SOCKET = ""
    out = StringIO()
    call_command("compiler_status", stdout=out)
    assert "No shared compile service" in out.getvalue()


def test_run_compiler_serves_until_sigterm_and_cleans_up(tmp_path):
    socket_path = tmp_path / "solc.sock"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "COMPILER_WORKERS": "1"}
    service = subprocess.Popen(
        [sys.executable, "manage.py", "run_compiler", "--socket", str(socket_path)],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Starting 1 solc workers" in service.stdout.readline()
        assert "1 workers on" in service.stdout.readline()
        [worker] = ServiceClient(socket_path).status()["workers"]
    finally:
        service.send_signal(signal.SIGTERM)
        output, _ = service.communicate(timeout=10)

    assert service.returncode == 0 and "stopped" in output
    assert not socket_path.exists()
    time.sleep(0.1)
    assert not os.path.exists(f"/proc/{worker['pid']}")
