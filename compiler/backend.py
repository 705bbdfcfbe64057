"""Which pool this process compiles with: the shared service when COMPILER_SOCKET is set, else a
pool of its own (the embedded default for `make run`; compiler/daemon.py explains the choice)."""

import atexit
import os
import threading

from django.conf import settings

from compiler.daemon import ServiceClient
from compiler.pool import WORKER_SCRIPT, WorkerPool

_own_pool = None
_own_pool_pid = None
_own_pool_lock = threading.Lock()


def pool_from_settings(*, size=None) -> WorkerPool:
    return WorkerPool(
        size=settings.COMPILER_WORKERS if size is None else size,
        max_queue=settings.COMPILER_MAX_QUEUE,
        max_rss_bytes=settings.COMPILER_MAX_RSS_MB * 1024 * 1024,
        hard_rss_bytes=settings.COMPILER_HARD_RSS_MB * 1024 * 1024,
        command=[settings.COMPILER_NODE, str(WORKER_SCRIPT)],
    )


def get_pool():
    if settings.COMPILER_SOCKET:
        return ServiceClient(settings.COMPILER_SOCKET)
    return _process_pool()


def _process_pool() -> WorkerPool:
    global _own_pool, _own_pool_pid
    with _own_pool_lock:
        # A forked child (gunicorn --preload) inherits the object but not the threads behind it.
        if _own_pool is None or _own_pool_pid != os.getpid():
            _own_pool, _own_pool_pid = pool_from_settings(), os.getpid()
            _own_pool.start(wait=False)
            atexit.register(_own_pool.close)
        return _own_pool
