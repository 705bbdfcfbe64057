import logging
import re

import pytest
from django.core.exceptions import FieldFetchBlocked
from django.core.management import call_command
from django.test import override_settings

from collaboration.models import Room
from core import stats
from tests.factories import ChatMessageFactory, CourseFactory, LessonFactory, RoomFactory

pytestmark = pytest.mark.django_db


def test_every_response_carries_server_timing_with_query_count_and_times(client):
    course = CourseFactory()
    LessonFactory(course=course)
    response = client.get(f"/courses/{course.slug}/")
    timing = response["Server-Timing"]
    match = re.search(r'db;dur=([\d.]+);desc="(\d+) queries"', timing)
    assert match and int(match.group(2)) == 2
    assert re.search(r"cache;dur=[\d.]+", timing)
    assert re.search(r"app;dur=[\d.]+", timing)


def test_health_reports_zero_queries(client):
    assert 'desc="0 queries"' in client.get("/health")["Server-Timing"]


def test_slow_queries_are_logged_with_their_sql_and_view(client, caplog):
    CourseFactory()
    with override_settings(SLOW_QUERY_MS=0), caplog.at_level(logging.WARNING, "core.queries"):
        client.get("/api/courses")
    messages = [record.getMessage() for record in caplog.records]
    assert any("slow query" in m and "courses:api" in m and "SELECT" in m for m in messages)


def test_a_request_over_its_query_budget_logs_a_warning(client, caplog):
    CourseFactory()
    with override_settings(QUERY_BUDGET=0), caplog.at_level(logging.WARNING, "core.queries"):
        client.get("/courses/")
    assert any("budget 0" in record.getMessage() for record in caplog.records)


def test_query_report_shows_views_and_slow_queries(client, capsys):
    stats.reset()
    CourseFactory()
    with override_settings(SLOW_QUERY_MS=0):
        for _ in range(3):
            client.get("/courses/")
    call_command("query_report", "--reset")
    out = capsys.readouterr().out
    assert re.search(r"courses:catalog\s+3\s+", out)
    assert "Slowest queries" in out and "SELECT" in out


def test_a_lazy_related_fetch_in_a_listing_raises_at_the_line_that_did_it():
    room = RoomFactory()
    ChatMessageFactory(room=room)
    listed = Room.objects.active().for_listing()
    with pytest.raises(FieldFetchBlocked):
        [room.owner.username for room in listed]
