"""Where every figure enters: the Prometheus instruments of this process and the cluster's
time series (operations.series), fed by the metrics middleware and by core.stats' observers."""

import logging
import os
import threading
import time

from django.conf import settings

from operations import instruments, series

logger = logging.getLogger(__name__)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


# The instruments' children by their labels: labels() builds and looks up a key under a lock on
# every call, and a page records several (the request, each cache lookup). The registry keeps
# the same children; these only remember where they are.
_children: dict = {}


def _child(instrument, *labels):
    key = (instrument, labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = instrument.labels(*labels)
    return child


def record_request(*, view, method, status, seconds, db_seconds, queries):
    method = method if method in METHODS else "other"
    _child(instruments.REQUESTS, view, method, str(status)).inc()
    _child(instruments.LATENCY, view).observe(seconds)
    instruments.QUERIES_PER_REQUEST.observe(queries)
    instruments.DB_SECONDS_PER_REQUEST.observe(db_seconds)
    if queries:
        _child(instruments.DB_QUERIES, view).inc(queries)
        _child(instruments.DB_SECONDS, view).inc(db_seconds)
    series.add_request(
        view=view, status=status, ms=seconds * 1000, db_ms=db_seconds * 1000, queries=queries
    )
    _after_record()


def observe(event, **fields):
    """core.stats' observer: cache lookups and outcomes (compiles, checks)."""
    if event == "cache":
        result = "hit" if fields["hit"] else "miss"
        _child(instruments.CACHE_LOOKUPS, fields["group"], result).inc()
        series.add(f"cache:{fields['group']}:{result}")
    elif event == "outcome":
        kind, outcome, seconds = fields["kind"], fields["outcome"], fields.get("seconds")
        instruments.RUNS.labels(kind, outcome).inc()
        series.add(f"run:{kind}:{outcome}")
        if seconds is not None:
            instruments.RUN_SECONDS.labels(kind).observe(seconds)
            series.add(f"run:{kind}:ms", seconds * 1000)
    _after_record()


def record_task(name, outcome):
    series.add_task(name, outcome)
    _after_record()


_flusher_pid = None
_flusher_lock = threading.Lock()


def _after_record():
    series.maybe_flush()
    if settings.METRICS_FLUSH_THREAD and _flusher_pid != os.getpid():
        start_flusher()


def start_flusher():
    """One thread per process (started again in a forked child) that flushes while the process
    is idle too, so its gauges stay current and its snapshot does not expire between requests."""
    global _flusher_pid
    with _flusher_lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()

    def run():
        while True:
            time.sleep(series.FLUSH_SECONDS)
            try:
                series.flush()
            except Exception:
                logger.exception("operations flusher failed")

    threading.Thread(target=run, name="operations-flush", daemon=True).start()
