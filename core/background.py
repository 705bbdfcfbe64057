"""Is anybody running the background jobs? The state /ready and the admin show.

Tasks run eagerly inside the request without a broker; with one, a Celery worker must consume
them. Each worker writes a heartbeat to the cache every few seconds (started by Celery's
`worker_ready`), and for a Redis broker the queue's length is one LLEN: a queue with tasks and no
heartbeat is a queue nobody consumes (a `make run` on Redis without a worker, a crashed worker).
"""

import functools
import logging
import threading
import time

import redis
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "celery:worker-heartbeat"
HEARTBEAT_SECONDS = 10
HEARTBEAT_TIMEOUT = 3 * HEARTBEAT_SECONDS
QUEUE = "celery"  # Celery's default queue: the one every task here goes to


def beat_once() -> None:
    try:
        cache.set(HEARTBEAT_KEY, time.time(), HEARTBEAT_TIMEOUT)
    except Exception:
        logger.warning("worker heartbeat not written: cache unavailable", exc_info=True)


@worker_ready.connect(dispatch_uid="core.background.heartbeat")
def _start_heartbeat(**kwargs):
    def beat():
        while True:
            beat_once()
            time.sleep(HEARTBEAT_SECONDS)

    threading.Thread(target=beat, name="worker-heartbeat", daemon=True).start()


def status() -> dict:
    """{"mode": "eager"} without a broker; else the queue's length (for Redis), how long ago a
    worker was last heard from, and whether tasks wait with nobody to run them."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"mode": "eager"}
    try:
        seen = cache.get(HEARTBEAT_KEY)
    except Exception:
        seen = None
    queued = _queued()
    worker_seen = round(time.time() - seen, 1) if seen else None
    return {
        "mode": "worker",
        "queued": queued,
        "worker_seen_seconds_ago": worker_seen,
        "unconsumed": bool(queued) and worker_seen is None,
    }


@functools.cache
def _broker_client(url):
    # One client (and its connection pool) per process: /ready is polled every few seconds.
    return redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)


def _queued() -> int | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        return int(_broker_client(url).llen(QUEUE))
    except Exception:
        logger.warning("task queue length unknown: broker unavailable", exc_info=True)
        return None
