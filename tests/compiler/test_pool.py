import os
import signal
import threading
import uuid

import pytest
from django.test import Client

from compiler.daemon import CompilerService, ServiceClient
from compiler.pool import CompilerBusy, CompilerError, WorkerPool
from compiler.services import standard_input
from tests.compiler.sources import COUNTER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def compile_(client, source):
    return client.post("/api/compile", {"source": source}, content_type="application/json")


@pytest.fixture
def pool_client(compiler):
    return ServiceClient(compiler.socket_path)


def test_a_killed_worker_is_replaced_and_the_next_compile_succeeds(client, compiler, pool_client):
    before = {worker["pid"] for worker in pool_client.status()["workers"]}
    assert len(before) == compiler.pool.size
    for pid in before:
        os.kill(pid, signal.SIGKILL)

    response = compile_(client, COUNTER)

    assert response.status_code == 200 and response.json()["ok"] is True
    after = pool_client.status()
    assert not before & {worker["pid"] for worker in after["workers"]}
    assert after["retired"]["died"] >= len(before)


def test_a_worker_grown_past_the_memory_limit_is_replaced(
    client, compiler, pool_client, monkeypatch
):
    monkeypatch.setattr(compiler.pool, "max_rss_bytes", 1)
    retired_before = pool_client.status()["retired"].get("memory", 0)

    response = compile_(client, COUNTER)

    assert response.status_code == 200 and response.json()["ok"] is True
    status = pool_client.status()
    assert status["retired"]["memory"] == retired_before + 1
    assert response.json()["contracts"]["Counter"]["bytecode"].startswith("0x")


def test_beyond_the_queue_bound_the_api_answers_503_with_retry_after(client, settings, tmp_path):
    # A pool without workers keeps every compile waiting: with no queue room it refuses at once.
    pool = WorkerPool(size=0, max_queue=0, max_rss_bytes=1)
    service = CompilerService(tmp_path / "busy.sock", pool)
    service.serve_in_thread()
    settings.COMPILER_SOCKET = str(service.socket_path)
    try:
        response = compile_(client, COUNTER)
    finally:
        service.close()

    assert response.status_code == 503
    assert int(response["Retry-After"]) >= 1
    assert "busy" in response.json()["error"]


def test_a_queued_compile_gives_up_when_no_worker_comes_free_in_time():
    pool = WorkerPool(size=0, max_queue=1, max_rss_bytes=1)
    with pytest.raises(CompilerBusy, match="came free in time"):
        pool.compile(standard_input(COUNTER, optimize=False), timeout=1, queue_timeout=0.05)
    assert pool.status()["waiting"] == 0


def test_a_stopped_compile_service_answers_503(client, settings, tmp_path):
    settings.COMPILER_SOCKET = str(tmp_path / "nobody-listens.sock")
    response = compile_(client, COUNTER)
    assert response.status_code == 503
    assert "not available" in response.json()["error"]


def test_a_burst_of_clients_is_told_busy_not_refused_at_the_socket(tmp_path):
    service = CompilerService(
        tmp_path / "burst.sock", WorkerPool(size=0, max_queue=0, max_rss_bytes=1)
    )
    service.serve_in_thread()
    client = ServiceClient(service.socket_path)
    outcomes = []

    def ask():
        try:
            client.compile(standard_input(COUNTER, optimize=False), timeout=1, queue_timeout=1)
        except CompilerError as exc:
            outcomes.append(type(exc))

    try:
        threads = [threading.Thread(target=ask) for _ in range(60)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        service.close()
    assert outcomes == [CompilerBusy] * 60


def test_a_compile_past_the_hard_memory_cap_is_a_crash_charged_and_never_retried(
    client, compiler, pool_client, monkeypatch, mid_minute
):
    # A source of its own: the pool refuses a request that crashed a worker for a while, and
    # the service is shared by this whole test session.
    source = COUNTER + f"\n// {uuid.uuid4().hex}\n"
    learner, other = UserFactory(), UserFactory()
    client.force_login(learner)
    monkeypatch.setattr(compiler.pool, "hard_rss_bytes", 1)  # every worker is past it at once
    before = pool_client.status()["retired"].get("crashed", 0)

    response = compile_(client, source)

    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert "stopped unexpectedly" in response.json()["errors"][0]["message"]
    # One worker lost, not one per worker: the source was not tried again elsewhere.
    assert pool_client.status()["retired"]["crashed"] == before + 1
    # Like a timeout, the crash spent the learner's minute.
    assert compile_(client, COUNTER).status_code == 429

    monkeypatch.setattr(compiler.pool, "hard_rss_bytes", 2 * compiler.pool.max_rss_bytes)
    someone_else = Client()
    someone_else.force_login(other)
    again = compile_(someone_else, source)
    assert again.status_code == 200, again.content
    assert again.json()["ok"] is False  # refused without a worker: it crashed one a moment ago
    assert pool_client.status()["retired"]["crashed"] == before + 1
    assert compile_(someone_else, COUNTER).status_code == 429  # resubmitting it costs the same
    third = Client()
    third.force_login(UserFactory())
    assert compile_(third, COUNTER + "\n// fine\n").json()["ok"] is True  # the pool is well
