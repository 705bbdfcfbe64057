"""Readiness: may the balancer send this instance traffic right now?

Liveness (`/health`) only says the process answers; readiness also needs PostgreSQL and a
migrated schema, and turns false while the instance drains before a graceful stop, so that
whatever polls it (the cluster runner, compose, an orchestrator) takes the instance out first.

Redis is not needed to serve: without it the site runs on process memory (core.cache_backend).
So Redis down, or this process's circuit breaker open, makes the instance "degraded", still 200:
a balancer polling every instance would otherwise pull them all at once on a Redis blip.
"""

import logging
import os
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    ms: float
    error: str = ""
    detail: str = ""
    info: dict = field(default_factory=dict)

    def as_json(self):
        data = {"ok": self.ok, "ms": round(self.ms, 2), **self.info}
        if self.error:
            data["error"] = self.error
        if self.detail:
            data["detail"] = self.detail
        return data


# What the instance can serve without: these only make it degraded.
OPTIONAL = frozenset({"cache"})


@dataclass(frozen=True)
class Report:
    draining: bool
    checks: dict[str, Check]

    @property
    def failing(self) -> list[str]:
        names = ["draining"] if self.draining else []
        return names + [name for name, check in self.checks.items() if not check.ok]

    @property
    def ready(self) -> bool:
        return not [name for name in self.failing if name not in OPTIONAL]

    @property
    def degraded(self) -> list[str]:
        """What is down that the instance serves without (it stays ready)."""
        names = [name for name in self.failing if name in OPTIONAL]
        cache = self.checks.get("cache")
        breaker = cache.info.get("breaker", {}) if cache is not None else {}
        if breaker.get("state", "closed") != "closed" and "cache" not in names:
            names.append("cache")
        return names

    def as_json(self):
        if not self.ready:
            status = "draining" if self.draining else "unavailable"
        else:
            status = "degraded" if self.degraded else "ready"
        return {
            "status": status,
            "failing": self.failing,
            "degraded": self.degraded,
            "checks": {name: check.as_json() for name, check in self.checks.items()},
            "ms": round(sum(check.ms for check in self.checks.values()), 2),
        }


def _timed(probe) -> Check:
    started = time.perf_counter()
    try:
        detail = probe() or ""
    except Exception as exc:
        # The class name tells the operator which part failed; the message (hosts, ports) goes
        # to the log only, because /ready is reachable from outside.
        logger.warning("readiness check failed: %r", exc)
        return Check(ok=False, ms=(time.perf_counter() - started) * 1000, error=type(exc).__name__)
    return Check(ok=True, ms=(time.perf_counter() - started) * 1000, detail=detail)


def check_database(connection) -> Check:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return _timed(probe)


def check_cache(cache) -> Check:
    def probe():
        client = getattr(cache, "client", None)
        if client is None or not hasattr(client, "get_client"):
            return f"{type(cache).__name__}: in-process, nothing to reach"
        # A PING on the raw client: the cache API may swallow connection errors by design.
        if client.get_client(write=True).ping() is not True:
            raise ConnectionError("Redis did not answer PONG")
        return ""

    check = _timed(probe)
    breaker = getattr(cache, "breaker", None)
    if breaker is None:
        return check
    # Whether this process is actually using Redis: a PING can succeed while the breaker still
    # sends every call to process memory.
    return Check(**{**check.__dict__, "info": {"breaker": breaker.state()}})


class PendingMigrations(Exception):
    pass


# Once a process has seen every migration applied it stays so: its code cannot gain migrations.
_migrated_aliases: set[str] = set()


def check_migrations(connection) -> Check:
    def probe():
        if connection.alias in _migrated_aliases:
            return ""
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise PendingMigrations(", ".join(f"{m.app_label}.{m.name}" for m, _ in pending))
        _migrated_aliases.add(connection.alias)
        return ""

    return _timed(probe)


def is_draining() -> bool:
    return bool(settings.DRAIN_FILE) and os.path.exists(settings.DRAIN_FILE)


def report() -> Report:
    connection = connections["default"]
    database = check_database(connection)
    checks = {
        "database": database,
        "cache": check_cache(caches["default"]),
        # Without a database there is nothing to compare migrations against.
        "migrations": check_migrations(connection)
        if database.ok
        else Check(ok=False, ms=0.0, error="DatabaseUnavailable"),
    }
    return Report(draining=is_draining(), checks=checks)
