"""The last hour of the site's figures, for the whole cluster, in Redis.

Every process (each gunicorn worker of each instance, the ASGI servers, Celery) adds up its
requests, cache lookups, compiles and tasks in memory and flushes them every few seconds into
10-second buckets (`ops:ts:<bucket>`, one hash, HINCRBYFLOAT), per-view figures into minute
buckets (`ops:views:<minute>`), and its own gauges (memory, breaker, pool, sockets) into the
bucket and a snapshot that expires when the process stops reporting. One process per bucket,
the first to claim it, also samples what is the same for everyone (the compile service, the
Celery queue, the media disk, the edge's log). The dashboard reads it back; nothing is per
process any more by then.

Buckets expire after KEEP_SECONDS. Without Redis (make run) the same structure lives in this
process's memory.
"""

import json
import logging
import threading
import time
from bisect import bisect_left
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache

from operations import instruments, memory_store, probes

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 10
VIEW_BUCKET_SECONDS = 60
KEEP_SECONDS = 3900
FLUSH_SECONDS = 5
PROCESS_TTL_SECONDS = 30
# The latency histogram's bounds in ms (the Prometheus buckets'), the last field is past them.
LATENCY_BOUNDS_MS = tuple(bound * 1000 for bound in instruments.LATENCY_BUCKETS)
# Probes are not pages: /ready checks the database, Redis and the migrations on every call, and
# answers 503 by design while an instance drains. Counted as requests, never as errors.
PROBES = {"health", "ready"}
PROCESS_GAUGES = ("rss", "breaker_open", "db_in_use", "db_waiting", "ws_open", "rooms")


def _key(name):
    return f"{settings.CACHE_KEY_PREFIX}:ops:{name}"


def bucket_of(at: float, size: int = BUCKET_SECONDS) -> int:
    return int(at // size) * size


def latency_field(ms: float) -> str:
    return f"lat{bisect_left(LATENCY_BOUNDS_MS, ms)}"


def quantile(counts, q) -> float | None:
    """The q-quantile in ms of a latency histogram ({slot: count}), interpolated within its slot
    as Prometheus' histogram_quantile does; the last slot (past 10 s) reads as its lower bound."""
    total = sum(counts.values())
    if not total:
        return None
    rank, seen = q * total, 0.0
    bounds = LATENCY_BOUNDS_MS
    for slot in range(len(LATENCY_BOUNDS_MS) + 1):
        count = counts.get(slot, 0)
        if seen + count >= rank and count:
            if slot == len(bounds):
                return bounds[-1]
            low = bounds[slot - 1] if slot else 0.0
            return low + (bounds[slot] - low) * (rank - seen) / count
        seen += count
    return bounds[-1]


def latency_counts(fields) -> dict[int, float]:
    return {
        int(name[3:]): value
        for name, value in fields.items()
        if name.startswith("lat") and name[3:].isdigit()
    }


class _Pending:
    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.totals = defaultdict(float)  # (bucket, field) -> value
        self.views = defaultdict(float)  # (minute, "view|field") -> value
        self.tasks = defaultdict(int)  # "task|outcome" -> count

    def take(self):
        with self.lock:
            taken = (self.totals, self.views, self.tasks)
            self.clear()
        return taken


_pending = _Pending()
_last_flush = 0.0
_flush_lock = threading.Lock()


def add_request(*, view, status, ms, db_ms, queries, now=None):
    now = time.time() if now is None else now
    bucket, minute = bucket_of(now), bucket_of(now, VIEW_BUCKET_SECONDS)
    lat = latency_field(ms)
    error = 1 if status >= 500 and view not in PROBES else 0
    with _pending.lock:
        totals, views = _pending.totals, _pending.views
        for field, value in (
            ("req", 1),
            ("err", error),
            ("ms", ms),
            ("db_ms", db_ms),
            ("q", queries),
            (lat, 1),
        ):
            totals[bucket, field] += value
            views[minute, f"{view}|{field}"] += value


def add(field, value=1.0, *, now=None):
    now = time.time() if now is None else now
    with _pending.lock:
        _pending.totals[bucket_of(now), field] += value


def add_task(name, outcome, *, now=None):
    add(f"task:{outcome}", now=now)
    with _pending.lock:
        _pending.tasks[f"{name}|{outcome}"] += 1


def maybe_flush():
    if time.monotonic() - _last_flush >= FLUSH_SECONDS:
        flush()


def flush(*, now=None):
    """Writes what this process counted and its gauges; best effort, never raises."""
    global _last_flush
    if not _flush_lock.acquire(blocking=False):
        return  # the other thread of this process is flushing
    try:
        _last_flush = time.monotonic()
        now = time.time() if now is None else now
        totals, views, tasks = _pending.take()
        gauges = probes.process_gauges()
        _update_process_instruments(gauges)
        try:
            _write(store(), now, totals, views, tasks, gauges)
        except Exception as exc:
            logger.info("operations figures not flushed: %s", exc)
    finally:
        _flush_lock.release()


def _update_process_instruments(gauges):
    instruments.RESIDENT_MEMORY.set(gauges["rss"])
    instruments.BREAKER_OPEN.set(gauges["breaker_open"])
    instruments.DB_POOL.labels("in_use").set(gauges["db_in_use"])
    instruments.DB_POOL_WAITING.set(gauges["db_waiting"])


def _write(client, now, totals, views, tasks, gauges):
    bucket = bucket_of(now)
    pipe = client.pipeline(transaction=False)
    touched = set()
    for (at, field), value in totals.items():
        key = _key(f"ts:{at}")
        pipe.hincrbyfloat(key, field, value)
        touched.add(key)
    for (at, field), value in views.items():
        key = _key(f"views:{at}")
        pipe.hincrbyfloat(key, field, value)
        touched.add(key)
    for field, count in tasks.items():
        pipe.hincrby(_key("tasks"), field, count)
    proc = probes.process_id()
    snapshot = {
        **gauges,
        "instance": probes.instance_name(),
        "kind": probes.process_kind(),
        "pid": proc.rsplit("/", 1)[1],
        "started_at": probes.STARTED_AT,
        "at": now,
    }
    pipe.set(_key(f"proc:{proc}"), json.dumps(snapshot), ex=PROCESS_TTL_SECONDS)
    pipe.zadd(_key("procs"), {proc: now})
    pipe.zremrangebyscore(_key("procs"), "-inf", now - KEEP_SECONDS)
    gauge_key = _key(f"g:{bucket}")
    pipe.hset(gauge_key, mapping={f"{name}|{proc}": gauges[name] for name in PROCESS_GAUGES})
    touched.add(gauge_key)
    for key in touched:
        pipe.expire(key, KEEP_SECONDS)
    pipe.execute()
    if client.set(_key(f"sampled:{bucket}"), 1, nx=True, ex=BUCKET_SECONDS * 2):
        shared = sample_shared()
        if shared:
            key = _key(f"ts:{bucket}")
            client.hset(key, mapping=shared)
            client.expire(key, KEEP_SECONDS)


def sample_shared() -> dict:
    """The figures that are the same for every process, as fields of the current bucket."""
    from operations import edge

    fields = {}
    status = probes.compiler_status()
    if status is not None:
        workers = status["workers"]
        fields |= {
            "g:compiler_up": 1,
            "g:compiler_workers": len(workers),
            "g:compiler_busy": sum(worker["state"] == "busy" for worker in workers),
            "g:compiler_waiting": status["waiting"],
            "g:compiler_rss": sum(worker["rss"] for worker in workers),
        }
    elif settings.COMPILER_SOCKET:
        fields["g:compiler_up"] = 0
    jobs = probes.background_jobs()
    if jobs.get("queued") is not None:
        fields["g:celery_queued"] = jobs["queued"]
    disk = probes.media_disk()
    if disk:
        fields["g:media_free"] = disk["free"]
        fields["g:media_total"] = disk["total"]
    edge.ingest()  # adds its counts to the bucket itself (a scrape may read the log too)
    return fields


def record_replica_lag(lags: dict, *, now=None):
    """Replica lag is measured where a request may query (the dashboard, /metrics); its samples
    join the current bucket."""
    known = [lag for lag in lags.values() if lag is not None]
    if not known:
        return
    try:
        client = store()
        key = _key(f"ts:{bucket_of(time.time() if now is None else now)}")
        client.hset(key, mapping={"g:replica_lag": max(known)})
        client.expire(key, KEEP_SECONDS)
    except Exception as exc:
        logger.info("replica lag not recorded: %s", exc)


# Reading ------------------------------------------------------------------------------------


def read(*, seconds=3600, now=None) -> dict:
    """{"buckets": [(start, {field: value})], "gauges": [(start, {name: {proc: value}})],
    "views": [(minute, {view: {field: value}})], "processes": [snapshot], "tasks": {...}}."""
    now = time.time() if now is None else now
    client = store()
    starts = list(
        range(bucket_of(now - seconds) + BUCKET_SECONDS, bucket_of(now) + 1, BUCKET_SECONDS)
    )
    minutes = list(
        range(
            bucket_of(now - seconds, VIEW_BUCKET_SECONDS) + VIEW_BUCKET_SECONDS,
            bucket_of(now, VIEW_BUCKET_SECONDS) + 1,
            VIEW_BUCKET_SECONDS,
        )
    )
    pipe = client.pipeline(transaction=False)
    for start in starts:
        pipe.hgetall(_key(f"ts:{start}"))
    for start in starts:
        pipe.hgetall(_key(f"g:{start}"))
    for minute in minutes:
        pipe.hgetall(_key(f"views:{minute}"))
    pipe.zrangebyscore(_key("procs"), now - PROCESS_TTL_SECONDS, "+inf")
    pipe.hgetall(_key("tasks"))
    answers = pipe.execute()
    totals = answers[: len(starts)]
    gauges = answers[len(starts) : 2 * len(starts)]
    views = answers[2 * len(starts) : 2 * len(starts) + len(minutes)]
    procs, tasks = answers[-2], answers[-1]
    snapshots = client.mget([_key(f"proc:{_text(p)}") for p in procs]) if procs else []
    return {
        "buckets": [
            (s, {_text(k): float(v) for k, v in t.items()})
            for s, t in zip(starts, totals, strict=True)
        ],
        "gauges": [(s, _by_name(g)) for s, g in zip(starts, gauges, strict=True)],
        "views": [(m, _by_view(v)) for m, v in zip(minutes, views, strict=True)],
        "processes": [json.loads(snapshot) for snapshot in snapshots if snapshot],
        "tasks": {_text(k): int(v) for k, v in tasks.items()},
    }


def task_totals() -> dict[tuple[str, str], int]:
    """(task, outcome) -> count since the counters began, every worker included."""
    try:
        stored = store().hgetall(_key("tasks"))
    except Exception:
        return {}
    return {tuple(_text(k).rsplit("|", 1)): int(v) for k, v in stored.items()}


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _by_name(fields):
    found = defaultdict(dict)
    for field, value in fields.items():
        name, _, proc = _text(field).partition("|")
        found[name][proc] = float(value)
    return dict(found)


def _by_view(fields):
    found = defaultdict(dict)
    for field, value in fields.items():
        view, _, name = _text(field).rpartition("|")
        found[view][name] = float(value)
    return dict(found)


def reset():
    """Forgets every figure (this site's, under its key prefix)."""
    _pending.take()
    client = store()
    if isinstance(client, memory_store.MemoryStore):
        client.data.clear()
        return
    keys = list(client.scan_iter(match=_key("*"), count=1000))
    if keys:
        client.delete(*keys)


# Storage ------------------------------------------------------------------------------------


def store():
    if getattr(cache, "redis_available", False):
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    if getattr(cache, "breaker", None) is not None:
        raise ConnectionError("Redis is unavailable (circuit breaker open)")
    return memory_store.shared
