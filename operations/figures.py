"""The Site performance page's figures: a value for now and a chart of the hour each, from
the cluster's time series (operations.series)."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from operations import edge, series
from operations.charts import sparkline


@dataclass
class Figure:
    label: str
    value: str
    chart: str
    note: str = ""


def _per_minute(buckets, gauges):
    """60 minutes, oldest first: counters added up, gauges as their highest 10-second total."""
    minutes = defaultdict(lambda: defaultdict(float))
    peaks = defaultdict(dict)
    for start, fields in buckets:
        minute = series.bucket_of(start, 60)
        for name, value in fields.items():
            if name.startswith("g:"):
                peaks[minute][name] = max(value, peaks[minute].get(name, value))
            else:
                minutes[minute][name] += value
    for start, by_name in gauges:
        minute = series.bucket_of(start, 60)
        for name, by_process in by_name.items():
            total = sum(by_process.values())
            peaks[minute][f"p:{name}"] = max(total, peaks[minute].get(f"p:{name}", total))
    order = sorted({series.bucket_of(start, 60) for start, _ in buckets})
    return [(minute, minutes.get(minute, {}), peaks.get(minute, {})) for minute in order]


def _ratio(a, b):
    return a / b if b else None


class _Counted(list):
    """A chart's values, one a minute, and `now`: the same figure over the last 60 seconds."""

    now = None


def build(buckets, gauges, *, now) -> list[Figure]:
    # The minute under way is left out of the charts (a partial minute reads as a dip), and
    # "now" is the last six complete 10-second buckets.
    current_minute = series.bucket_of(now, 60)
    rows = [row for row in _per_minute(buckets, gauges) if row[0] < current_minute]
    counters = [c for _, c, _ in rows]
    peaks = [p for _, _, p in rows]
    current_bucket = series.bucket_of(now)
    recent = defaultdict(float)
    for start, fields in buckets:
        if current_bucket - 60 <= start < current_bucket:
            for name, value in fields.items():
                if not name.startswith("g:"):
                    recent[name] += value
    last = recent

    def hour(name):
        return sum(fields.get(name, 0) for _, fields in buckets)

    def counter_series(fn):
        values = _Counted(fn(c) for c in counters)
        values.now = fn(recent)
        return values

    def peak_series(name, scale=1.0):
        return [p[name] * scale if name in p else None for p in peaks]

    def cache_rate(c, prefix):
        hits = sum(v for k, v in c.items() if k.startswith(prefix) and k.endswith(":hit"))
        misses = sum(v for k, v in c.items() if k.startswith(prefix) and k.endswith(":miss"))
        rate = _ratio(hits, hits + misses)
        return None if rate is None else rate * 100

    def edge_rate(c):
        hits = sum(c.get(f"edge:{s}", 0) for s in edge.HITS)
        misses = sum(c.get(f"edge:{s}", 0) for s in edge.MISSES)
        rate = _ratio(hits, hits + misses)
        return None if rate is None else rate * 100

    def runs(c, kind):
        return sum(
            v for k, v in c.items() if k.startswith(f"run:{kind}:") and not k.endswith(":ms")
        )

    rps = counter_series(lambda c: c.get("req", 0) / 60 if c else None)
    p95 = counter_series(lambda c: series.quantile(series.latency_counts(c), 0.95))
    errors = counter_series(lambda c: _pct(c.get("err", 0), c.get("req", 0)))
    db = counter_series(lambda c: _ratio(c.get("db_ms", 0), c.get("req", 0)))
    queries = counter_series(lambda c: _ratio(c.get("q", 0), c.get("req", 0)))
    hit = counter_series(lambda c: cache_rate(c, "cache:"))
    edge_hits = counter_series(edge_rate)
    compiles = counter_series(lambda c: runs(c, "compile") + runs(c, "check") if c else None)
    run_ms = counter_series(
        lambda c: _ratio(
            c.get("run:compile:ms", 0) + c.get("run:check:ms", 0),
            runs(c, "compile") + runs(c, "check"),
        )
    )
    tasks = counter_series(
        lambda c: sum(v for k, v in c.items() if k.startswith("task:")) if c else None
    )
    task_runs = sum(hour(f"task:{outcome}") for outcome in ("success", "failure", "retry"))
    task_failures = hour("task:failure")

    def now_of(values, fmt, empty="-"):
        if isinstance(values, _Counted):
            return fmt(values.now) if values.now is not None else empty
        known = [v for v in values if v is not None]
        return fmt(known[-1]) if known else empty

    memory = peak_series("p:rss", 1 / (1024 * 1024))
    media = [
        (p["g:media_free"] / p["g:media_total"] * 100) if p.get("g:media_total") else None
        for p in peaks
    ]
    return [
        Figure(
            "Requests",
            now_of(rps, "{:.1f}/s".format),
            sparkline(rps, label="requests per second"),
            f"{hour('req'):,.0f} in the hour",
        ),
        Figure(
            "p95 latency",
            now_of(p95, "{:.0f} ms".format),
            sparkline(p95, label="p95 latency in ms", budget=settings.BUDGET_P95_MS),
            f"budget {settings.BUDGET_P95_MS} ms (dashed)",
        ),
        Figure(
            "Errors (5xx)",
            now_of(errors, "{:.2f} %".format),
            sparkline(
                errors, label="error rate in percent", budget=settings.BUDGET_ERROR_RATE * 100
            ),
            f"{hour('err'):,.0f} in the hour",
        ),
        Figure(
            "Database per request",
            now_of(db, "{:.1f} ms".format),
            sparkline(db, label="database ms per request"),
            now_of(queries, "{:.1f} queries".format),
        ),
        Figure(
            "Cache hit rate",
            now_of(hit, "{:.1f} %".format),
            sparkline(
                hit,
                label="cache hit rate",
                budget=settings.BUDGET_CACHE_HIT_RATE * 100,
                ceiling=100,
            ),
            _groups_note(last),
        ),
        Figure(
            "Edge hit rate",
            now_of(edge_hits, "{:.1f} %".format),
            sparkline(edge_hits, label="edge hit rate", ceiling=100),
            "from nginx's log"
            if any(v is not None for v in edge_hits)
            else "no edge log (METRICS_EDGE_LOG)",
        ),
        Figure(
            "Circuit breaker",
            now_of(peak_series("p:breaker_open"), lambda v: "open" if v else "closed"),
            sparkline(peak_series("p:breaker_open"), label="processes with the breaker open"),
            "processes serving the cache from memory",
        ),
        Figure(
            "Compiler queue",
            now_of(peak_series("g:compiler_waiting"), "{:.0f} waiting".format),
            sparkline(peak_series("g:compiler_waiting"), label="compiles waiting"),
            now_of(peak_series("g:compiler_busy"), "{:.0f} busy".format)
            + " · "
            + now_of(peak_series("g:compiler_workers"), "{:.0f} workers".format)
            + " · "
            + now_of(peak_series("g:compiler_rss", 1 / 2**20), "{:.0f} MB".format),
        ),
        Figure(
            "Compiles and checks",
            now_of(compiles, "{:.0f}/min".format),
            sparkline(compiles, label="compiles and checks per minute"),
            now_of(run_ms, "{:.0f} ms on average".format),
        ),
        Figure(
            "Database pool",
            now_of(peak_series("p:db_in_use"), "{:.0f} in use".format),
            sparkline(peak_series("p:db_in_use"), label="pooled connections in use"),
            now_of(peak_series("p:db_waiting"), "{:.0f} waiting".format),
        ),
        Figure(
            "Background jobs",
            now_of(peak_series("g:celery_queued"), "{:.0f} queued".format),
            sparkline(tasks, label="tasks run per minute"),
            f"{task_runs:,.0f} run, {task_failures:,.0f} failed in the hour",
        ),
        Figure(
            "WebSockets",
            now_of(peak_series("p:ws_open"), "{:.0f} open".format),
            sparkline(peak_series("p:ws_open"), label="open WebSockets"),
            now_of(peak_series("p:rooms"), "{:.0f} rooms".format),
        ),
        Figure(
            "Memory",
            now_of(memory, "{:.0f} MB".format),
            sparkline(memory, label="resident memory in MB"),
            "every reporting process",
        ),
        Figure(
            "Replica lag",
            now_of(peak_series("g:replica_lag"), "{:.1f} s".format),
            sparkline(
                peak_series("g:replica_lag"),
                label="replica lag in seconds",
                budget=settings.BUDGET_REPLICA_LAG_SECONDS,
            ),
            "sampled when this page or /metrics is read",
        ),
        Figure(
            "Media disk",
            now_of(media, "{:.0f} % free".format),
            sparkline(
                media,
                label="media disk free in percent",
                ceiling=100,
                budget=settings.BUDGET_MEDIA_DISK_FREE * 100,
            ),
            "",
        ),
    ]


def _pct(part, whole):
    return part / whole * 100 if whole else None


def _groups_note(counters):
    rates = []
    for name, hits in counters.items():
        if name.startswith("cache:") and name.endswith(":hit"):
            group = name.split(":")[1]
            misses = counters.get(f"cache:{group}:miss", 0)
            rates.append(f"{group} {hits / (hits + misses):.0%}")
    return ", ".join(sorted(rates))
