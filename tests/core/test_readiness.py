"""/ready against real services: the failures come from real unreachable ports and a real empty
database, never from stand-ins."""

import os

import pytest
from django.db import connection
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql.base import DatabaseWrapper

from core import readiness

# Inside the port range this project may use and never listened on by anything it starts.
CLOSED_PORT = 18097


def _wrapper(**overrides):
    # An alias outside settings.DATABASES: django.contrib.postgres looks every other alias up
    # in `connections` when it connects, and NO_DB_ALIAS is the one it leaves alone.
    return DatabaseWrapper({**connection.settings_dict, **overrides}, alias=NO_DB_ALIAS)


@pytest.mark.django_db
def test_ready_answers_200_with_every_check_and_its_timing(client):
    response = client.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["failing"] == [] and body["degraded"] == []
    assert set(body["checks"]) == {"database", "cache", "migrations"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert check["ms"] >= 0
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_answers_503_naming_draining_while_the_drain_file_exists(client, settings, tmp_path):
    settings.DRAIN_FILE = str(tmp_path / "draining")
    assert client.get("/ready").status_code == 200

    open(settings.DRAIN_FILE, "w").close()
    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json()["status"] == "draining"
    assert response.json()["failing"] == ["draining"]

    os.remove(settings.DRAIN_FILE)
    assert client.get("/ready").status_code == 200


@pytest.mark.django_db
def test_ready_stays_200_and_says_degraded_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        alias: {**config, "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0"}
        for alias, config in settings.CACHES.items()
    }

    response = client.get("/ready")

    # The site serves without Redis: a balancer must not pull every instance on a Redis blip.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["cache"] and body["degraded"] == ["cache"]
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_database_check_names_an_unreachable_postgresql():
    unreachable = _wrapper(PORT=str(CLOSED_PORT))
    try:
        check = readiness.check_database(unreachable)
    finally:
        unreachable.close()

    assert check.ok is False
    assert check.error == "OperationalError"


@pytest.mark.django_db
def test_migrations_check_names_a_database_that_has_not_been_migrated():
    name = f"{connection.settings_dict['NAME']}_unmigrated"
    # CREATE DATABASE cannot run inside the test's transaction: use a connection of its own.
    admin = _wrapper(NAME="postgres")
    admin.set_autocommit(True)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        empty = _wrapper(NAME=name)
        try:
            check = readiness.check_migrations(empty)
        finally:
            empty.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}"')
    finally:
        admin.close()

    assert check.ok is False
    assert check.error == "PendingMigrations"


@pytest.mark.django_db
def test_ready_reports_cache_hit_rates_per_group(client):
    from core import stats
    from tests.factories import CourseFactory

    stats.reset()
    CourseFactory()
    client.get("/courses/")
    client.get("/courses/")
    rates = client.get("/ready").json()["cache_hit_rates"]
    assert rates["catalog"]["hits"] >= 1 and rates["catalog"]["misses"] >= 1
    assert 0 < rates["catalog"]["hit_rate"] < 1
