"""What the alerts say now, from the cluster's figures (operations.dashboard.Window). The same
rules, in PromQL, are deploy/prometheus/alerts.yml."""

from dataclasses import dataclass

from django.conf import settings

from operations import series

MIN_REQUESTS = 20  # below this a p95 or an error rate says nothing
MIN_LOOKUPS = 100
PROBES = series.PROBES


@dataclass(frozen=True)
class Alert:
    name: str
    title: str
    state: str  # "firing", "ok" or "no data"
    detail: str = ""

    @property
    def firing(self) -> bool:
        return self.state == "firing"


def page_budget_ms(view: str) -> float:
    """The view's own budget (BUDGET_P95_MS_BY_VIEW, by name or by "namespace:" prefix), else
    BUDGET_P95_MS."""
    budgets = settings.BUDGET_P95_MS_BY_VIEW
    if view in budgets:
        return budgets[view]
    namespace = view.split(":", 1)[0] + ":"
    return budgets.get(namespace, settings.BUDGET_P95_MS)


def evaluate(window) -> list[Alert]:
    return [
        _pages(window),
        _errors(window),
        _cache(window),
        _breaker(window),
        _compiler_queue(window),
        _replica_lag(window),
        _media_disk(window),
    ]


def _pages(window):
    title = "p95 of a page over its budget"
    measured = [
        v
        for v in window.views
        if v.requests >= MIN_REQUESTS and v.p95_ms is not None and v.view not in PROBES
    ]
    if not measured:
        return Alert("page_p95", title, "no data")
    over = [v for v in measured if v.p95_ms > page_budget_ms(v.view)]
    if not over:
        return Alert("page_p95", title, "ok", f"{len(measured)} views within budget")
    detail = ", ".join(
        f"{v.view} {v.p95_ms:.0f} ms (budget {page_budget_ms(v.view):.0f})"
        for v in sorted(over, key=lambda v: -v.p95_ms)
    )
    return Alert("page_p95", title, "firing", detail)


def _errors(window):
    title = f"error rate over {settings.BUDGET_ERROR_RATE:.1%}"
    if window.requests < MIN_REQUESTS:
        return Alert("error_rate", title, "no data")
    rate = window.errors / window.requests
    state = "firing" if rate > settings.BUDGET_ERROR_RATE else "ok"
    return Alert(
        "error_rate", title, state, f"{window.errors:.0f} of {window.requests:.0f} ({rate:.2%})"
    )


def _cache(window):
    title = f"cache hit rate under {settings.BUDGET_CACHE_HIT_RATE:.0%}"
    lookups = window.cache_hits + window.cache_misses
    if lookups < MIN_LOOKUPS:
        return Alert("cache_hit_rate", title, "no data")
    rate = window.cache_hits / lookups
    state = "firing" if rate < settings.BUDGET_CACHE_HIT_RATE else "ok"
    low = ", ".join(
        f"{group} {hit_rate:.0%}"
        for group, hit_rate in sorted(window.cache_groups.items())
        if hit_rate is not None and hit_rate < settings.BUDGET_CACHE_HIT_RATE
    )
    return Alert("cache_hit_rate", title, state, f"{rate:.1%}" + (f"; low: {low}" if low else ""))


def _breaker(window):
    title = "cache circuit breaker open"
    if not window.processes:
        return Alert("breaker_open", title, "no data")
    open_in = [p for p in window.processes if p.get("breaker_open")]
    if not open_in:
        return Alert("breaker_open", title, "ok")
    names = ", ".join(sorted({f"{p['instance']} pid {p['pid']}" for p in open_in}))
    return Alert("breaker_open", title, "firing", f"open in {names}")


def _compiler_queue(window):
    title = "compiles waiting for a solc worker"
    samples = window.compiler_waiting
    if not samples:
        return Alert("compiler_queue", title, "no data")
    # Waiting for a moment is the queue doing its job; waiting at every sample for half a
    # minute means the pool is too small for the load.
    recent = samples[-3:]
    state = "firing" if len(recent) == 3 and all(value > 0 for value in recent) else "ok"
    return Alert("compiler_queue", title, state, f"{samples[-1]:.0f} waiting now")


def _replica_lag(window):
    title = f"replica lag over {settings.BUDGET_REPLICA_LAG_SECONDS:g} s"
    if window.replica_lag is None:
        return Alert("replica_lag", title, "no data")
    state = "firing" if window.replica_lag > settings.BUDGET_REPLICA_LAG_SECONDS else "ok"
    return Alert("replica_lag", title, state, f"{window.replica_lag:.1f} s")


def _media_disk(window):
    title = f"media disk under {settings.BUDGET_MEDIA_DISK_FREE:.0%} free"
    if window.media_free_fraction is None:
        return Alert("media_disk", title, "no data")
    state = "firing" if window.media_free_fraction < settings.BUDGET_MEDIA_DISK_FREE else "ok"
    return Alert("media_disk", title, state, f"{window.media_free_fraction:.1%} free")
