"""Two real uvicorn servers on the test database, shared by the live-room test modules."""

import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.test import Client

from deploy.asgi_server import AsgiServer, server_environment
from deploy.processes import free_port
from tests.factories import UserFactory
from tests.workers import worker_index


def port_block(base):
    """Ten ports from `base` per xdist worker, so parallel workers never collide."""
    first = base + 10 * worker_index()
    return first, first + 9


@contextmanager
def two_servers(*, base_port, logs, django_db_blocker, **env_overrides):
    env = server_environment(database=connection.settings_dict, **env_overrides)
    first, last = port_block(base_port)
    started = []
    try:
        for name in ("a", "b"):
            port = free_port(first, last)
            first = port + 1
            started.append(AsgiServer(port=port, env=env, log_path=logs / f"{name}.log").start())
        yield started
    finally:
        for server in started:
            server.stop()
        with django_db_blocker.unblock():
            wait_for_their_database_sessions_to_end()


def wait_for_their_database_sessions_to_end(timeout=10):
    """PostgreSQL ends a backend a moment after its client process exits; until then the test
    database cannot be dropped."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def session_cookie(username):
    client = Client()
    client.force_login(UserFactory(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value
