import re
import time

import pytest
from django.urls import reverse

from operations import dashboard, series
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_the_performance_page_renders_for_staff_with_charts_and_alerts(staff_client):
    series.reset()
    for _ in range(3):
        staff_client.get("/health")
    series.flush()
    response = staff_client.get(reverse("admin:performance"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Site performance" in body
    assert body.count('<svg class="spark"') >= 10
    assert "error rate over" in body
    assert "health" in body  # among the views


def test_the_panel_alone_is_what_the_page_refreshes(staff_client):
    response = staff_client.get(reverse("admin:performance"), {"panel": 1})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Alerts" in response.content


def test_the_performance_page_redirects_learners_and_visitors_to_the_admin_login(
    client, learner_client
):
    url = reverse("admin:performance")
    for someone in (client, learner_client):
        response = someone.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_the_admin_is_branded_and_its_index_links_the_performance_page(staff_client):
    body = staff_client.get(reverse("admin:index")).content.decode()
    assert "Learning Solidity administration" in body
    assert reverse("admin:performance") in body


def test_the_performance_page_needs_no_inline_code_under_the_csp(staff_client):
    body = staff_client.get(reverse("admin:performance")).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|\son[a-z]+=", body) == []


def test_a_slow_page_fires_the_p95_alert(settings):
    series.reset()
    settings.BUDGET_P95_MS = 100
    for _ in range(30):
        series.add_request(view="courses:catalog", status=200, ms=400, db_ms=5, queries=3)
    series.add_request(view="courses:lesson", status=200, ms=10, db_ms=1, queries=2)
    series.flush()
    board = dashboard.build()
    firing = {alert.name: alert for alert in board.firing}
    assert "page_p95" in firing
    assert "courses:catalog" in firing["page_p95"].detail
    assert "courses:lesson" not in firing["page_p95"].detail


def test_server_errors_fire_the_error_rate_alert():
    series.reset()
    for status in [200] * 25 + [500] * 5:
        series.add_request(view="courses:catalog", status=status, ms=10, db_ms=1, queries=1)
    series.flush()
    firing = {alert.name for alert in dashboard.build().firing}
    assert "error_rate" in firing


def test_a_draining_instances_503_readiness_is_not_an_error():
    series.reset()
    for _ in range(30):
        series.add_request(view="ready", status=503, ms=5, db_ms=1, queries=1)
    series.flush()
    alerts = {alert.name: alert for alert in dashboard.build().alerts}
    assert alerts["error_rate"].state == "ok"


def test_a_low_cache_hit_rate_fires_its_alert():
    series.reset()
    for index in range(200):
        series.add(f"cache:catalog:{'hit' if index % 2 else 'miss'}")
    series.flush()
    firing = {alert.name for alert in dashboard.build().firing}
    assert "cache_hit_rate" in firing


def test_quantiles_interpolate_within_the_bucket():
    # 100 requests between 50 and 75 ms: p95 near the top of that bucket.
    slot = series.LATENCY_BOUNDS_MS.index(75.0)
    assert series.quantile({slot: 100}, 0.95) == pytest.approx(50 + 25 * 0.95)


def test_now_is_the_last_complete_minute_of_every_instance():
    series.reset()
    now = time.time()
    for _ in range(120):
        series.add_request(view="health", status=200, ms=2, db_ms=0, queries=0, now=now - 30)
    series.add_request(view="health", status=200, ms=2, db_ms=0, queries=0, now=now - 600)
    series.flush(now=now)
    figures = {figure.label: figure for figure in dashboard.build(now=now).figures}
    assert figures["Requests"].value == "2.0/s"
    assert figures["Requests"].note == "121 in the hour"


def test_the_performance_page_says_so_when_redis_is_out_of_reach(staff_client):
    from django.core.cache import cache

    staff_client.get(reverse("admin:index"))  # the session, stored before the breaker opens
    cache.breaker.failed()
    try:
        response = staff_client.get(reverse("admin:performance"))
    finally:
        cache.breaker.succeeded()
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot reach right now" in body
    assert "<strong>firing</strong> cache circuit breaker open" in body
