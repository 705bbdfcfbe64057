"""Counters that operators read: cache hits and misses per group, queries and time per view,
the slowest queries. Each process adds up locally and flushes to Redis every few seconds in one
pipeline, so counting costs no round trip per request. Without Redis the totals stay in the
default cache (one process in development).

The one place that counts: whatever else wants these events (the operations app's /metrics and
time series) registers an observer with `observe()`, so core calls no app. `record_outcome()` is
for events with an outcome and a duration (a compile, a test run, a background task) that only
observers keep.
"""

import logging
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

FLUSH_EVERY_SECONDS = 5
SLOW_QUERIES_KEPT = 50

_lock = threading.Lock()
_pending_views = defaultdict(lambda: [0, 0, 0.0, 0.0, 0])  # requests, queries, db_ms, ms, max
_pending_cache = defaultdict(lambda: [0, 0])  # hits, misses
_pending_slow = {}
_pending_slow_counts = defaultdict(int)
_last_flush = time.monotonic()
_observers = []


def observe(observer) -> None:
    """Calls observer(event, **fields) for every event counted here: "cache" (group, hit) and
    "outcome" (kind, outcome, seconds). Observers must be fast and must not raise."""
    if observer not in _observers:
        _observers.append(observer)


def _notify(event, **fields):
    for observer in _observers:
        try:
            observer(event, **fields)
        except Exception:  # an observer's bug must never fail a request
            logger.exception("stats observer %r failed", observer)


def _key(name):
    return f"{settings.CACHE_KEY_PREFIX}:stats:{name}"


def record_request(*, view, queries, db_ms, total_ms, slow=()):
    with _lock:
        entry = _pending_views[view]
        entry[0] += 1
        entry[1] += queries
        entry[2] += db_ms
        entry[3] += total_ms
        entry[4] = max(entry[4], queries)
        for duration_ms, sql in slow:
            member = f"{view}\t{sql[:1000]}"
            _pending_slow[member] = max(duration_ms, _pending_slow.get(member, 0))
            _pending_slow_counts[member] += 1
    _maybe_flush()


def record_cache(group, *, hit: bool):
    with _lock:
        _pending_cache[group][0 if hit else 1] += 1
    _notify("cache", group=group, hit=hit)
    _maybe_flush()


def record_outcome(kind: str, outcome: str, *, seconds: float | None = None):
    """One compile, test run or task and how it ended, for the observers."""
    _notify("outcome", kind=kind, outcome=outcome, seconds=seconds)


def _maybe_flush():
    if time.monotonic() - _last_flush >= FLUSH_EVERY_SECONDS:
        flush()


def _take_pending():
    global _last_flush
    with _lock:
        views = {view: list(values) for view, values in _pending_views.items()}
        groups = {group: list(values) for group, values in _pending_cache.items()}
        slow = {member: (ms, _pending_slow_counts[member]) for member, ms in _pending_slow.items()}
        _pending_views.clear()
        _pending_cache.clear()
        _pending_slow.clear()
        _pending_slow_counts.clear()
        _last_flush = time.monotonic()
    return views, groups, slow


def _redis():
    if not getattr(cache, "redis_available", False):
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def flush():
    views, groups, slow = _take_pending()
    if not (views or groups or slow):
        return
    try:
        client = _redis()
        if client is not None:
            _flush_to_redis(client, views, groups, slow)
        else:
            _flush_to_cache(views, groups, slow)
    except Exception as exc:  # counters are best effort: never fail a request over them
        logger.info("stats not flushed: %s", exc)


def _flush_to_redis(client, views, groups, slow):
    pipe = client.pipeline(transaction=False)
    for view, (requests, queries, db_ms, total_ms, most) in views.items():
        pipe.hincrby(_key("views"), f"{view}|requests", requests)
        pipe.hincrby(_key("views"), f"{view}|queries", queries)
        pipe.hincrbyfloat(_key("views"), f"{view}|db_ms", round(db_ms, 3))
        pipe.hincrbyfloat(_key("views"), f"{view}|ms", round(total_ms, 3))
        pipe.zadd(_key("max_queries"), {view: most}, gt=True)
    for group, (hits, misses) in groups.items():
        pipe.hincrby(_key("cache"), f"{group}|hits", hits)
        pipe.hincrby(_key("cache"), f"{group}|misses", misses)
    if slow:
        pipe.zadd(_key("slow"), {member: ms for member, (ms, _) in slow.items()}, gt=True)
        pipe.zremrangebyrank(_key("slow"), 0, -SLOW_QUERIES_KEPT - 1)
        for member, (_, count) in slow.items():
            pipe.hincrby(_key("slow_counts"), member, count)
    pipe.execute()


def _flush_to_cache(views, groups, slow):
    stored = cache.get(_key("local")) or {"views": {}, "cache": {}, "slow": {}}
    stored.setdefault("slow_counts", {})
    for view, values in views.items():
        old = stored["views"].get(view, [0, 0, 0.0, 0.0, 0])
        stored["views"][view] = [a + b for a, b in zip(old[:4], values[:4], strict=True)] + [
            max(old[4], values[4])
        ]
    for group, values in groups.items():
        old = stored["cache"].get(group, [0, 0])
        stored["cache"][group] = [old[0] + values[0], old[1] + values[1]]
    for member, (duration, count) in slow.items():
        stored["slow"][member] = max(duration, stored["slow"].get(member, 0))
        stored["slow_counts"][member] = stored["slow_counts"].get(member, 0) + count
    cache.set(_key("local"), stored, None)


def _read():
    """Returns (views, groups, slow) as {view: [requests, queries, db_ms, ms, max]},
    {group: [hits, misses]}, {member: (slowest ms, times seen)}."""
    flush()
    client = _redis()
    if client is None:
        stored = cache.get(_key("local")) or {"views": {}, "cache": {}, "slow": {}}
        counts = stored.get("slow_counts", {})
        slow = {member: (ms, counts.get(member, 0)) for member, ms in stored["slow"].items()}
        return stored["views"], stored["cache"], slow
    views = defaultdict(lambda: [0, 0, 0.0, 0.0, 0])
    for field, value in client.hgetall(_key("views")).items():
        view, _, name = field.decode().rpartition("|")
        index = {"requests": 0, "queries": 1, "db_ms": 2, "ms": 3}[name]
        views[view][index] = float(value) if index in (2, 3) else int(value)
    for view, most in client.zrange(_key("max_queries"), 0, -1, withscores=True):
        views[view.decode()][4] = int(most)
    groups = defaultdict(lambda: [0, 0])
    for field, value in client.hgetall(_key("cache")).items():
        group, _, name = field.decode().rpartition("|")
        groups[group][0 if name == "hits" else 1] = int(value)
    counts = {
        member.decode(): int(count) for member, count in client.hgetall(_key("slow_counts")).items()
    }
    slow = {
        member.decode(): (score, counts.get(member.decode(), 0))
        for member, score in client.zrevrange(_key("slow"), 0, -1, withscores=True)
    }
    return dict(views), dict(groups), slow


def cache_report() -> dict:
    _, groups, _ = _read()
    report = {}
    for group, (hits, misses) in sorted(groups.items()):
        total = hits + misses
        report[group] = {
            "hits": hits,
            "misses": misses,
            "hit_rate": round(hits / total, 4) if total else None,
        }
    return report


def query_report() -> dict:
    views, _, slow = _read()
    rows = [
        {
            "view": view,
            "requests": requests,
            "avg_queries": queries / requests if requests else 0,
            "max_queries": most,
            "avg_db_ms": db_ms / requests if requests else 0,
            "avg_ms": total_ms / requests if requests else 0,
        }
        for view, (requests, queries, db_ms, total_ms, most) in views.items()
    ]
    slowest = sorted(
        (
            {"view": m.split("\t", 1)[0], "sql": m.split("\t", 1)[1], "ms": ms, "count": count}
            for m, (ms, count) in slow.items()
        ),
        key=lambda row: -row["ms"],
    )
    return {"views": rows, "slow_queries": slowest}


def reset():
    _take_pending()
    client = _redis()
    if client is not None:
        client.delete(
            _key("views"), _key("max_queries"), _key("cache"), _key("slow"), _key("slow_counts")
        )
    else:
        cache.delete(_key("local"))
