"""What a process can say about itself and what one process samples for the whole machine.

Process figures (memory, its circuit breaker, its database pool, its WebSockets) are cheap reads
of memory or /proc. Shared figures (the compile service's pool, the Celery queue, the media disk,
replica lag) are the same whichever process asks, so one process samples them per interval
(operations.series) and /metrics reads them when scraped.
"""

import contextlib
import logging
import os
import shutil
import socket
import sys
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from core import background

logger = logging.getLogger(__name__)

STARTED_AT = time.time()
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def process_kind() -> str:
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    if "gunicorn" in program:
        return "web"
    if "uvicorn" in program or "daphne" in program:
        return "asgi"
    if "celery" in program:
        return "worker"
    return "manage"


def instance_name() -> str:
    """The instance a process belongs to: its gunicorn bind address, else the host."""
    return os.environ.get("GUNICORN_BIND") or socket.gethostname()


def process_id() -> str:
    return f"{instance_name()}/{process_kind()}/{os.getpid()}"


def resident_memory() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def breaker_state() -> str | None:
    """The default cache's circuit breaker: "closed", "open" (or another state the breaker
    names), None when the cache has no breaker (no Redis)."""
    backend = caches["default"]
    breaker = getattr(backend, "breaker", None)
    if breaker is None:
        return None
    state = getattr(breaker, "state", None)
    if callable(state):  # core.cache_backend.CircuitBreaker.state(): {"state": ..., ...}
        state = state()
    if isinstance(state, dict):
        state = state.get("state")
    if isinstance(state, str):
        return state
    return "open" if getattr(breaker, "is_open", False) else "closed"


def database_pool() -> dict | None:
    """{"in_use", "idle", "waiting"} of this process's pool of the default database, without
    creating a pool (or a connection) where there is none yet."""
    wrapper = connections["default"]
    pools = getattr(type(wrapper), "_connection_pools", None) or {}
    pool = pools.get(wrapper.alias)
    if pool is None:
        return None
    stats = pool.get_stats()
    size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
    return {
        "in_use": max(size - available, 0),
        "idle": available,
        "waiting": stats.get("requests_waiting", 0),
    }


def process_gauges() -> dict:
    from operations import asgi

    pool = database_pool() or {}
    return {
        "rss": resident_memory(),
        "breaker_open": int(breaker_state() not in (None, "closed")),
        "db_in_use": pool.get("in_use", 0),
        "db_waiting": pool.get("waiting", 0),
        "ws_open": asgi.open_sockets(),
        "rooms": len(asgi.open_rooms()),
    }


def compiler_status() -> dict | None:
    """The shared compile service's pool (workers, queue, memory); None without one or when it
    does not answer. A process's own pool (no COMPILER_SOCKET) is never started for this."""
    if not settings.COMPILER_SOCKET:
        return None
    from compiler.daemon import ServiceClient
    from compiler.pool import CompilerError

    try:
        return ServiceClient(settings.COMPILER_SOCKET).status()
    except CompilerError:
        return None


def media_disk() -> dict | None:
    """Free and total bytes of the filesystem uploads are written to (none for a bucket)."""
    if "FileSystemStorage" not in settings.STORAGES["default"]["BACKEND"]:
        return None
    path = settings.MEDIA_ROOT
    while not os.path.exists(path) and path != os.path.dirname(path):
        path = os.path.dirname(path)
    with contextlib.suppress(OSError):
        usage = shutil.disk_usage(path)
        return {"free": usage.free, "total": usage.total}
    return None


def background_jobs() -> dict:
    try:
        return background.status()
    except Exception:
        logger.warning("background job status unknown", exc_info=True)
        return {"mode": "unknown"}


def replica_lag() -> dict[str, float | None]:
    """Seconds since each replica last replayed a transaction (None when unknown). Runs a query
    per replica: for /metrics and the dashboard, never a request path."""
    lags = {}
    for alias in settings.DATABASES:
        if alias == "default":
            continue
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN "
                    "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) "
                    "END"
                )
                value = cursor.fetchone()[0]
            lags[alias] = float(value) if value is not None else None
        except Exception:
            logger.warning("replica %s: lag unknown", alias, exc_info=True)
            lags[alias] = None
    return lags
