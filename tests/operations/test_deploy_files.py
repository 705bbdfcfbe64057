"""The Prometheus rules and the Grafana dashboard name metrics that /metrics exports."""

import json
import re

import pytest
import yaml
from django.conf import settings

from core import stats
from operations import series

DEPLOY = settings.BASE_DIR / "deploy"
# Exported only where the site has read replicas, which the suite's database has not.
NEEDS_REPLICAS = {"ls_db_replica_lag_seconds"}


def exported_names(text) -> set[str]:
    names = set()
    for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE):
        if kind == "counter":
            names.add(name if name.endswith("_total") else f"{name}_total")
        elif kind == "histogram":
            names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
        else:
            names.add(name)
    return names


def named_in(text) -> set[str]:
    return set(re.findall(r"\bls_[a-z_]+\b", text))


@pytest.mark.django_db
def test_the_rules_and_the_dashboard_name_only_exported_metrics(
    client, compiler, settings, tmp_path
):
    log = tmp_path / "access.log"
    log.write_text(
        '127.0.0.1 [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 rt=0.001 cache=HIT\n'
    )
    settings.METRICS_EDGE_LOG = str(log)
    # With a broker, as deployed: the queue's length is one LLEN, read when scraped.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    series.reset()
    client.get("/health")
    stats.record_cache("catalog", hit=True)
    stats.record_outcome("compile", "ok", seconds=0.02)
    series.flush()
    text = client.get("/metrics").content.decode()
    exported = exported_names(text) | NEEDS_REPLICAS

    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    expressions = " ".join(rule["expr"] for group in rules["groups"] for rule in group["rules"])
    dashboard = json.loads((DEPLOY / "grafana" / "learning-solidity.json").read_text())
    queries = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel["targets"])

    assert named_in(expressions) - exported == set()
    assert named_in(queries) - exported == set()
    assert {"ls_edge_requests_total", "ls_compiler_queue_waiting"} <= exported
