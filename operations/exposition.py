"""/metrics: who may read it, and what it says beyond the instruments' own values.

The instruments (operations.instruments) are read from every worker's files in multiprocess
mode. The collector below adds what is read when scraped: the compile service's pool, the Celery
queue and task outcomes, the edge cache, replica lag and the media disk. Figures that come from
Redis or the shared service are the same on every instance: aggregate them with max(), not sum().
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from operations import edge, probes, series

logger = logging.getLogger(__name__)


def allowed(request) -> bool:
    """The token METRICS_TOKEN names (Authorization: Bearer), or every address the request came
    through in METRICS_ALLOWED_IPS: the peer, and the client a proxy names (X-Real-IP,
    X-Forwarded-For), so that a scrape through the public nginx is a stranger's."""
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip(), token)
    addresses = [request.META.get("REMOTE_ADDR", "")]
    addresses += request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    addresses.append(request.META.get("HTTP_X_REAL_IP", ""))
    networks = _networks()
    seen = [address.strip() for address in addresses if address.strip()]
    return bool(seen) and all(_inside(address, networks) for address in seen)


def _networks():
    networks = []
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logger.warning("METRICS_ALLOWED_IPS: %r is not an address or network", entry)
    return networks


def _inside(address, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def render() -> bytes:
    series.flush()  # this process's own gauges, current
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(SharedCollector())
        return generate_latest(registry)
    return generate_latest(REGISTRY) + generate_latest(_shared_registry())


_shared = None


def _shared_registry():
    global _shared
    if _shared is None:
        _shared = CollectorRegistry()
        _shared.register(SharedCollector())
    return _shared


class SharedCollector:
    def collect(self):
        yield from _compiler()
        yield from _background()
        yield from _edge()
        yield from _replicas()
        yield from _media()


def _compiler():
    status = probes.compiler_status()
    up = GaugeMetricFamily("ls_compiler_up", "1 when the shared compile service answers.")
    up.add_metric([], 1 if status else 0)
    yield up
    if not status:
        return
    workers = GaugeMetricFamily(
        "ls_compiler_workers", "solc worker processes, by state.", labels=["state"]
    )
    for state in ("idle", "busy"):
        workers.add_metric([state], sum(w["state"] == state for w in status["workers"]))
    workers.add_metric(["starting"], status["starting"])
    yield workers
    queue = GaugeMetricFamily("ls_compiler_queue_waiting", "Compiles waiting for a worker.")
    queue.add_metric([], status["waiting"])
    yield queue
    limit = GaugeMetricFamily("ls_compiler_queue_limit", "Compiles that may wait at most.")
    limit.add_metric([], status["max_queue"])
    yield limit
    rss = GaugeMetricFamily(
        "ls_compiler_worker_rss_bytes", "Resident memory of each solc worker.", labels=["pid"]
    )
    for worker in status["workers"]:
        rss.add_metric([str(worker["pid"])], worker["rss"])
    yield rss
    replaced = CounterMetricFamily(
        "ls_compiler_workers_replaced", "solc workers replaced, by reason.", labels=["reason"]
    )
    for reason, count in status["retired"].items():
        replaced.add_metric([reason], count)
    yield replaced


def _background():
    jobs = probes.background_jobs()
    if jobs.get("queued") is not None:
        queued = GaugeMetricFamily("ls_celery_queue_length", "Tasks waiting in the broker.")
        queued.add_metric([], jobs["queued"])
        yield queued
    if jobs.get("mode") == "worker":
        seen = GaugeMetricFamily(
            "ls_celery_worker_seen_seconds", "Seconds since a Celery worker was last heard from."
        )
        seen.add_metric([], jobs["worker_seen_seconds_ago"] or float("inf"))
        yield seen
    tasks = CounterMetricFamily(
        "ls_celery_tasks", "Celery tasks run, by task and outcome.", labels=["task", "outcome"]
    )
    for (task, outcome), count in sorted(series.task_totals().items()):
        tasks.add_metric([task, outcome], count)
    yield tasks


def _edge():
    edge.ingest()
    counts = edge.totals()
    if not counts:
        return
    edge_requests = CounterMetricFamily(
        "ls_edge_requests",
        "Requests nginx proxied, by its cache status (HIT, MISS, ...; NONE: no lookup).",
        labels=["cache"],
    )
    for status, count in sorted(counts.items()):
        edge_requests.add_metric([status], count)
    yield edge_requests


def _replicas():
    lags = probes.replica_lag()
    if not lags:
        return
    series.record_replica_lag(lags)
    lag = GaugeMetricFamily(
        "ls_db_replica_lag_seconds", "Seconds since a replica replayed a transaction.", ["replica"]
    )
    for alias, seconds in lags.items():
        lag.add_metric([alias], float("nan") if seconds is None else seconds)
    yield lag


def _media():
    disk = probes.media_disk()
    if not disk:
        return
    media = GaugeMetricFamily(
        "ls_media_disk_bytes", "The uploads' filesystem, by kind (free, total).", labels=["kind"]
    )
    media.add_metric(["free"], disk["free"])
    media.add_metric(["total"], disk["total"])
    yield media
