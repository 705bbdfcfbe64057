"""Watching a running site through each instance's /metrics and /ready (manage.py watch_site).

Every tick scrapes every instance, subtracts the previous scrape (a restarted instance starts its
counters again from zero; its new values are then the increase), adds the instances up and
checks the budgets. A budget broken for longer than the grace period ends the watch with the
reason, so that a rolling restart or a load test stops on it.
"""

import http.client
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from operations import edge
from operations.series import PROBES

MB = 1024 * 1024
# /ready's answers that mean "send it traffic": degraded is Redis down, served from memory.
SERVING = ("ready", "degraded")
# nginx's log is read every few seconds by whichever instance is scraped: the edge's hit rate is
# taken over this window rather than from one tick's share of it.
EDGE_WINDOW_SECONDS = 30


@dataclass
class Scrape:
    """One instance at one moment: its /ready state and the totals of its /metrics."""

    name: str
    address: str
    state: str = "down"  # ready, draining, unavailable, down
    requests: float = 0.0
    errors: float = 0.0
    latency: dict = field(default_factory=dict)  # upper bound (s) -> cumulative count
    cache_hits: float = 0.0
    cache_misses: float = 0.0
    edge: dict = field(default_factory=dict)
    memory: float = 0.0

    @property
    def up(self):
        return self.state != "down"


@dataclass(frozen=True)
class Budgets:
    p95_ms: float
    error_rate: float
    hit_rate: float
    min_requests: int = 10
    min_lookups: int = 50


@dataclass
class Tick:
    at: float
    seconds: float
    scrapes: list
    requests: float
    errors: float
    p95_ms: float | None
    hits: float
    misses: float
    edge_rate: float | None

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_rate(self):
        return self.errors / self.requests if self.requests else None

    @property
    def hit_rate(self):
        lookups = self.hits + self.misses
        return self.hits / lookups if lookups else None

    def broken(self, budgets: Budgets) -> list[str]:
        reasons = []
        if not any(scrape.state in SERVING for scrape in self.scrapes):
            reasons.append("no instance is ready")
        if self.requests >= budgets.min_requests:
            if self.p95_ms is not None and self.p95_ms > budgets.p95_ms:
                reasons.append(f"p95 {self.p95_ms:.0f} ms over {budgets.p95_ms:g} ms")
            if self.error_rate > budgets.error_rate:
                reasons.append(f"errors {self.error_rate:.2%} over {budgets.error_rate:.2%}")
        if self.hits + self.misses >= budgets.min_lookups and self.hit_rate < budgets.hit_rate:
            reasons.append(f"cache hit rate {self.hit_rate:.1%} under {budgets.hit_rate:.0%}")
        return reasons

    def line(self) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(self.at))
        p95 = f"{self.p95_ms:5.0f} ms" if self.p95_ms is not None else "    - ms"
        errors = f"{self.error_rate:6.2%}" if self.error_rate is not None else "     -"
        hit = f"{self.hit_rate:6.1%}" if self.hit_rate is not None else "     -"
        edge_hit = f"{self.edge_rate:6.1%}" if self.edge_rate is not None else "     -"
        instances = "  ".join(
            f"{s.name} {s.state}" + (f" {s.memory / MB:.0f}MB" if s.up else "")
            for s in self.scrapes
        )
        return (
            f"{clock} {self.rps:7.1f} req/s  p95 {p95}  errors {errors}  hit {hit}  "
            f"edge {edge_hit}  | {instances}"
        )


def instances_of_cluster(directory) -> list[tuple[str, str]]:
    """(name, address) of each web instance of a cluster started by deploy/cluster.py."""
    state = Path(directory) / "state.json"
    if not state.exists():
        return []
    data = json.loads(state.read_text())
    return [(f"app{i['number']}", f"127.0.0.1:{i['port']}") for i in data["instances"]]


def fetch(address, path, *, token="", timeout=2.0) -> tuple[int, str]:
    """GET `path` from one instance at host:port, without keep-alive: its status and body."""
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    headers = {"Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def scrape(name, address, *, token="", timeout=2.0) -> Scrape:
    found = Scrape(name=name, address=address)
    try:
        status, body = fetch(address, "/ready", timeout=timeout)
        try:
            found.state = json.loads(body).get("status", "unavailable")
        except ValueError:
            found.state = "unavailable"
        if status != 200 and found.state in SERVING:
            found.state = "unavailable"
        status, body = fetch(address, "/metrics", token=token, timeout=timeout)
    except OSError:
        found.state = "down"
        return found
    if status != 200:
        raise PermissionError(f"{name} ({address}) answered /metrics with {status}")
    _read_metrics(found, body)
    return found


def _read_metrics(found, text):
    latency = defaultdict(float)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels, value = sample.labels, sample.value
            if sample.name == "ls_http_requests_total":
                found.requests += value
                if labels.get("status", "").startswith("5") and labels.get("view") not in PROBES:
                    found.errors += value
            elif sample.name == "ls_http_request_duration_seconds_bucket":
                latency[float(labels["le"])] += value
            elif sample.name == "ls_cache_lookups_total":
                if labels.get("result") == "hit":
                    found.cache_hits += value
                else:
                    found.cache_misses += value
            elif sample.name == "ls_edge_requests_total":
                found.edge[labels["cache"]] = value
            elif sample.name == "ls_process_resident_memory_bytes":
                found.memory += value
    found.latency = dict(latency)


def _increase(now, before):
    """A counter's increase; a smaller value means the instance restarted from zero."""
    return now if now < before else now - before


def p95_of(buckets: dict) -> float | None:
    """The 95th percentile in ms of cumulative Prometheus buckets {le: count}."""
    bounds = sorted(buckets)
    total = buckets.get(float("inf"), 0)
    if total <= 0:
        return None
    rank, previous_bound, previous_count = 0.95 * total, 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if bound == float("inf"):
                return previous_bound * 1000
            inside = count - previous_count
            share = (rank - previous_count) / inside if inside else 1.0
            return (previous_bound + (bound - previous_bound) * share) * 1000
        previous_bound, previous_count = bound, count
    return None


def combine(scrapes, previous: dict, *, at, seconds) -> Tick:
    """Adds up each instance's increase since its previous scrape."""
    requests = errors = hits = misses = 0.0
    latency = defaultdict(float)
    for current in scrapes:
        before = previous.get(current.address)
        if not current.up or before is None or not before.up:
            continue
        requests += _increase(current.requests, before.requests)
        errors += _increase(current.errors, before.errors)
        hits += _increase(current.cache_hits, before.cache_hits)
        misses += _increase(current.cache_misses, before.cache_misses)
        restarted = current.requests < before.requests
        for bound, count in current.latency.items():
            latency[bound] += count if restarted else count - before.latency.get(bound, 0.0)
    return Tick(
        at=at,
        seconds=seconds,
        scrapes=scrapes,
        requests=requests,
        errors=errors,
        p95_ms=p95_of(dict(latency)),
        hits=hits,
        misses=misses,
        edge_rate=None,
    )


def edge_totals(scrapes) -> dict:
    """The edge's counts are the cluster's, the same on every instance: the highest wins."""
    totals = defaultdict(float)
    for current in scrapes:
        for status, count in current.edge.items():
            totals[status] = max(totals[status], count)
    return totals


def edge_rate(now: dict, before: dict) -> float | None:
    hits = sum(_increase(now.get(s, 0), before.get(s, 0)) for s in edge.HITS)
    misses = sum(_increase(now.get(s, 0), before.get(s, 0)) for s in edge.MISSES)
    return hits / (hits + misses) if hits + misses else None


class Watch:
    """Ticks until a budget stays broken past `grace` seconds (then `failure` says why)."""

    def __init__(self, instances, *, budgets: Budgets, grace: float, token=""):
        self.instances = instances
        self.budgets = budgets
        self.grace = grace
        self.token = token
        self.previous = {}
        self.previous_at = None
        self.broken_since = {}
        self.failure = ""
        self.edge_seen = deque()

    def tick(self, *, now=None) -> Tick:
        now = time.time() if now is None else now
        scrapes = [scrape(n, a, token=self.token) for n, a in self.instances]
        seconds = now - self.previous_at if self.previous_at else 0.0
        tick = combine(scrapes, self.previous, at=now, seconds=seconds)
        totals = edge_totals(scrapes)
        self.edge_seen.append((now, totals))
        while len(self.edge_seen) > 2 and now - self.edge_seen[1][0] >= EDGE_WINDOW_SECONDS:
            self.edge_seen.popleft()
        if len(self.edge_seen) > 1:
            tick.edge_rate = edge_rate(totals, self.edge_seen[0][1])
        self.previous = {s.address: s for s in scrapes}
        self.previous_at = now
        reasons = tick.broken(self.budgets)
        kinds = {reason.split(" ", 1)[0] for reason in reasons}
        self.broken_since = {
            kind: since for kind, since in self.broken_since.items() if kind in kinds
        }
        for reason in reasons:
            kind = reason.split(" ", 1)[0]
            since = self.broken_since.setdefault(kind, now)
            if now - since >= self.grace and not self.failure:
                self.failure = f"{reason}, for {now - since:.0f} s (grace {self.grace:g} s)"
        return tick
