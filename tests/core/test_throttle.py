"""The fixed-window counter every throttle and budget shares (core.throttle)."""

import time

import pytest

from core.throttle import Throttle


@pytest.fixture
def throttle(monkeypatch):
    monkeypatch.setattr("core.throttle._now", lambda: 1_800_000_010.0)  # 10 s into a minute
    return Throttle(name=f"t-{time.time_ns()}", limit=2, window_seconds=60)


def test_charging_counts_each_attempt_and_refuses_past_the_limit_until_the_window_ends(throttle):
    assert [throttle.charge("a"), throttle.charge("a"), throttle.charge("a")] == [0, 0, 50]
    assert throttle.charge("b") == 0


def test_hit_returns_the_count_so_far(throttle):
    assert [throttle.hit("a"), throttle.hit("a")] == [1, 2]
    assert throttle.wait_seconds("a") == 50


def test_exhausting_a_subject_spends_the_rest_of_its_window(throttle):
    throttle.exhaust("a")
    assert throttle.wait_seconds("a") == 50
    assert throttle.charge("a") == 50
    assert throttle.wait_seconds("b") == 0


def test_the_next_window_starts_afresh(throttle, monkeypatch):
    throttle.exhaust("a")
    monkeypatch.setattr("core.throttle._now", lambda: 1_800_000_070.0)
    assert throttle.charge("a") == 0
