import re
import threading
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db(transaction=True)


def address_of(live_server):
    return live_server.url.removeprefix("http://")


def test_watch_site_exits_non_zero_when_no_instance_is_ready(live_server, settings, tmp_path):
    drain = tmp_path / "draining"
    drain.touch()
    settings.DRAIN_FILE = str(drain)
    with pytest.raises(CommandError) as failed:
        call_command(
            "watch_site", instance=[address_of(live_server)], interval=0.2, grace=0.5, duration=10
        )
    assert failed.value.returncode == 1
    assert "no instance is ready" in str(failed.value)


def test_watch_site_exits_non_zero_on_a_broken_p95_budget(live_server):
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            urllib.request.urlopen(f"{live_server.url}/health").read()

    sender = threading.Thread(target=traffic, daemon=True)
    sender.start()
    try:
        with pytest.raises(CommandError) as failed:
            call_command(
                "watch_site",
                instance=[address_of(live_server)],
                interval=0.3,
                grace=0.5,
                duration=15,
                p95_ms=0.01,
                min_requests=5,
            )
    finally:
        stop.set()
        sender.join(5)
    assert failed.value.returncode == 1
    assert "p95" in str(failed.value)


def test_watch_site_holds_within_its_budgets_and_prints_a_line_per_tick(live_server, capsys):
    from io import StringIO

    out = StringIO()
    started = time.monotonic()
    call_command(
        "watch_site", instance=[address_of(live_server)], interval=0.3, duration=1.0, stdout=out
    )
    text = out.getvalue()
    assert time.monotonic() - started < 10
    assert "req/s" in text
    assert re.search(rf"{address_of(live_server)} (ready|degraded) \d+MB", text)
    assert "every budget held" in text
