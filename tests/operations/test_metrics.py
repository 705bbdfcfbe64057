import http.client
import os
import re
import socket
import sys
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from deploy import processes
from deploy.cluster import BASE_DIR
from operations import series


def sample(text, name, **labels):
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return None


def test_metrics_refuses_a_stranger(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"ls_http_requests" not in response.content


def test_metrics_refuses_a_stranger_forwarded_by_a_local_proxy(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


def test_metrics_answers_the_allowed_address(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_metrics_answers_the_token_from_anywhere_and_refuses_a_wrong_one(client, settings):
    settings.METRICS_TOKEN = "scrape-me"
    good = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-me")
    bad = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer guess")
    assert good.status_code == 200
    assert bad.status_code == 403


@pytest.mark.django_db
def test_a_request_is_counted_by_view_and_status_with_its_queries(client):
    def count():
        text = client.get("/metrics").content.decode()
        return sample(text, "ls_http_requests_total", view="ready", method="GET", status="200") or 0

    before = count()
    client.get("/ready")
    client.get("/ready")
    text = client.get("/metrics").content.decode()
    assert count() == before + 2
    assert sample(text, "ls_db_queries_total", view="ready") > 0
    assert sample(text, "ls_compiler_up") is not None


def test_cache_lookups_are_counted_by_group(client):
    from core import stats

    def lookups(result):
        text = client.get("/metrics").content.decode()
        return sample(text, "ls_cache_lookups_total", group="tests", result=result) or 0

    hits, misses = lookups("hit"), lookups("miss")
    stats.record_cache("tests", hit=True)
    stats.record_cache("tests", hit=False)
    stats.record_cache("tests", hit=False)
    assert (lookups("hit"), lookups("miss")) == (hits + 1, misses + 2)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_every_gunicorn_worker_counts_in_metrics(tmp_path):
    """Two workers answer; /metrics, answered by one of them, counts every request."""
    address = f"127.0.0.1:{_free_port()}"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DATABASE_POOL": "false",
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_KEY_PREFIX": f"test-metrics-{os.getpid()}",
        "GUNICORN_BIND": address,
        "GUNICORN_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "METRICS_FLUSH_THREAD": "false",
        "PYTHONUNBUFFERED": "1",
        "GUNICORN_ACCESS_LOG": "-",  # which worker answered: read from its access log
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
        "--bind",
        address,
    ]
    log = tmp_path / "gunicorn.log"
    pid = processes.spawn(command, env=env, log=log)
    try:
        deadline = time.monotonic() + 60
        while processes.http_status(address, "/health") != 200:
            assert processes.alive(pid), processes.tail(log)
            assert time.monotonic() < deadline, processes.tail(log)
            time.sleep(0.1)
        answered = re.compile(r'"GET /health HTTP/1.1" 200 .* pid=<?(\d+)')
        workers = set()
        for _ in range(2000):
            assert processes.http_status(address, "/health") == 200
            workers = set(answered.findall(log.read_text()))
            if len(workers) == 2:
                break
        assert len(workers) == 2, "one worker answered every request"
        # Counted from the access log: a probe that timed out while the workers were still
        # booting was answered (and counted) all the same. A worker writes its log line just
        # after its answer.
        time.sleep(0.5)
        sent = len(answered.findall(log.read_text()))
        host, port = address.rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        assert sample(text, "ls_http_requests_total", view="health", status="200") == sent
        memory = [
            s
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name == "ls_process_resident_memory_bytes"
        ]
        assert {s.labels["pid"] for s in memory} == workers
    finally:
        processes.terminate(pid, token=address, timeout=10)


@pytest.mark.django_db
def test_requests_reach_the_clusters_time_series(client):
    series.reset()
    client.get("/health")
    client.get("/missing-page")
    series.flush()
    data = series.read(seconds=60)
    totals = {}
    for _, fields in data["buckets"]:
        for name, value in fields.items():
            totals[name] = totals.get(name, 0) + value
    assert totals["req"] == 2
    views = {}
    for _, by_view in data["views"]:
        for view, fields in by_view.items():
            views[view] = views.get(view, 0) + fields["req"]
    assert views == {"health": 1, "(unresolved)": 1}
    assert any(p["pid"] == str(os.getpid()) for p in data["processes"])


def test_an_open_circuit_breaker_shows_in_metrics(client):
    from django.core.cache import cache

    from operations import probes

    breaker = cache.breaker
    breaker.failed()
    try:
        assert probes.breaker_state() == "open"
        text = client.get("/metrics").content.decode()
    finally:
        breaker.succeeded()
    assert sample(text, "ls_cache_breaker_open") == 1
    assert probes.breaker_state() == "closed"
