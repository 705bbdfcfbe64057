"""The Site performance page's figures, for the whole cluster, from operations.series."""

import logging
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core import stats
from operations import alerts, figures, probes, series

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 300  # "now": the last five minutes
VIEWS_SECONDS = 900


@dataclass
class ViewFigures:
    view: str
    requests: float
    errors: float
    ms: float
    db_ms: float
    queries: float
    p95_ms: float | None

    @property
    def avg_ms(self):
        return self.ms / self.requests if self.requests else 0.0

    @property
    def avg_db_ms(self):
        return self.db_ms / self.requests if self.requests else 0.0

    @property
    def avg_queries(self):
        return self.queries / self.requests if self.requests else 0.0

    @property
    def budget_ms(self):
        return alerts.page_budget_ms(self.view)

    @property
    def over_budget(self):
        return (
            self.view not in alerts.PROBES
            and self.p95_ms is not None
            and self.p95_ms > self.budget_ms
        )


@dataclass
class Window:
    """The last few minutes, every process added up."""

    requests: float = 0.0
    errors: float = 0.0
    cache_hits: float = 0.0
    cache_misses: float = 0.0
    cache_groups: dict = field(default_factory=dict)
    views: list = field(default_factory=list)
    processes: list = field(default_factory=list)
    compiler_waiting: list = field(default_factory=list)
    replica_lag: float | None = None
    media_free_fraction: float | None = None


@dataclass
class Board:
    generated_at: float
    figures: list
    alerts: list
    instances: list
    views: list
    queries: list
    processes: int
    unavailable: str = ""

    @property
    def generated(self):
        return datetime.fromtimestamp(self.generated_at, tz=UTC)

    @property
    def firing(self):
        return [alert for alert in self.alerts if alert.firing]


def build(*, now=None) -> Board:
    now = time.time() if now is None else now
    series.record_replica_lag(probes.replica_lag(), now=now)
    try:
        data = series.read(seconds=3600, now=now)
    except Exception as exc:
        # The figures live in Redis: while it is out of reach the page says so, and the
        # breaker's own alert (this process's) still shows.
        logger.warning("performance figures unavailable: %s", exc)
        return Board(
            generated_at=now,
            figures=[],
            alerts=alerts.evaluate(Window(processes=[_this_process()])),
            instances=[],
            views=[],
            queries=[],
            processes=0,
            unavailable="The cluster's figures are kept in Redis, which this instance cannot "
            "reach right now (its circuit breaker is open or Redis is down). /metrics still "
            "answers with each instance's own figures.",
        )
    buckets = data["buckets"]
    gauges = data["gauges"]
    window = _window(data, now)
    return Board(
        generated_at=now,
        figures=figures.build(buckets, gauges, now=now),
        alerts=alerts.evaluate(window),
        instances=_instances(data["processes"]),
        views=sorted(window.views, key=lambda v: -(v.p95_ms or 0))[:15],
        queries=_slow_queries(),
        processes=len(data["processes"]),
    )


def _this_process() -> dict:
    return {
        **probes.process_gauges(),
        "instance": probes.instance_name(),
        "pid": str(os.getpid()),
        "kind": probes.process_kind(),
    }


def _window(data, now) -> Window:
    window = Window(processes=data["processes"])
    recent = [fields for start, fields in data["buckets"] if start > now - WINDOW_SECONDS]
    groups = defaultdict(lambda: [0.0, 0.0])
    for fields in recent:
        window.requests += fields.get("req", 0)
        window.errors += fields.get("err", 0)
        for name, value in fields.items():
            if name.startswith("cache:"):
                _, group, result = name.split(":")
                groups[group][0 if result == "hit" else 1] += value
    window.cache_hits = sum(hits for hits, _ in groups.values())
    window.cache_misses = sum(misses for _, misses in groups.values())
    window.cache_groups = {
        group: hits / (hits + misses) if hits + misses else None
        for group, (hits, misses) in groups.items()
    }
    window.compiler_waiting = [
        fields["g:compiler_waiting"]
        for _, fields in data["buckets"]
        if "g:compiler_waiting" in fields
    ][-6:]
    lags = [fields["g:replica_lag"] for _, fields in data["buckets"] if "g:replica_lag" in fields]
    window.replica_lag = lags[-1] if lags else None
    disks = [f for _, f in data["buckets"] if f.get("g:media_total")]
    if disks:
        window.media_free_fraction = disks[-1]["g:media_free"] / disks[-1]["g:media_total"]
    per_view = defaultdict(lambda: defaultdict(float))
    for minute, views in data["views"]:
        if minute <= now - VIEWS_SECONDS:
            continue
        for view, fields in views.items():
            for name, value in fields.items():
                per_view[view][name] += value
    window.views = [
        ViewFigures(
            view=view,
            requests=fields.get("req", 0),
            errors=fields.get("err", 0),
            ms=fields.get("ms", 0),
            db_ms=fields.get("db_ms", 0),
            queries=fields.get("q", 0),
            p95_ms=series.quantile(series.latency_counts(fields), 0.95),
        )
        for view, fields in per_view.items()
    ]
    return window


def _instances(processes) -> list[dict]:
    by_instance = defaultdict(list)
    for process in processes:
        by_instance[process["instance"]].append(process)
    rows = []
    for name, members in sorted(by_instance.items()):
        rows.append(
            {
                "name": name,
                "kinds": ", ".join(sorted({p["kind"] for p in members})),
                "processes": len(members),
                "rss_mb": sum(p["rss"] for p in members) / 2**20,
                "breaker_open": any(p["breaker_open"] for p in members),
                "websockets": sum(p["ws_open"] for p in members),
                "seen_ago": time.time() - max(p["at"] for p in members),
            }
        )
    return rows


def _slow_queries():
    try:
        return stats.query_report()["slow_queries"][:10]
    except Exception:
        return []
