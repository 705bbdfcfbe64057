"""Cache groups with a version per key: one key's entry retired alone, the others kept."""

import time

import pytest
from django.core.cache import cache

from core.cache import CacheGroup

pytestmark = pytest.mark.django_db


def group(**options):
    return CacheGroup(f"versions-{time.time_ns()}", timeout=60, per_key_versions=True, **options)


def test_invalidating_one_key_retires_its_entry_and_keeps_the_others():
    mine = group()
    mine.get("a", lambda: 1)
    mine.get("b", lambda: 2)

    mine.invalidate("a")

    assert (mine.get("a", lambda: 10), mine.get("b", lambda: 20)) == (10, 2)


def test_invalidating_the_group_still_retires_every_key():
    mine = group()
    mine.get("a", lambda: 1)
    mine.invalidate()
    assert mine.get("a", lambda: 10) == 10


def test_a_key_whose_version_was_evicted_is_not_served_its_old_entry():
    mine = group()
    mine.get("a", lambda: 1)
    mine.invalidate("a")
    mine.get("a", lambda: 2)
    cache.delete(f"ver:{mine.name}:a")  # evicted, or Redis restarted

    assert mine.get("a", lambda: 3) == 3


def test_a_group_without_per_key_versions_refuses_to_invalidate_one_key():
    plain = CacheGroup(f"plain-{time.time_ns()}", timeout=60)
    with pytest.raises(ValueError):
        plain.invalidate("a")


def test_a_transactions_bumps_reach_redis_together_once_it_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    mine, other = group(), group()
    mine.get("a", lambda: 1)
    other.get("b", lambda: 2)
    calls = []
    incr_existing_many = cache.incr_existing_many
    monkeypatch.setattr(
        cache,
        "incr_existing_many",
        lambda amounts: calls.append(set(amounts)) or incr_existing_many(amounts),
    )
    with django_capture_on_commit_callbacks() as at_commit:
        mine.invalidate("a")
        other.invalidate("b")
        mine.invalidate()
        assert calls == []  # no round trip yet
        # A read inside the transaction sees its writes: the bumps owed "now" go first, together.
        assert mine.get("a", lambda: 10) == 10
        assert calls == [{f"ver:{mine.name}:a", f"ver:{other.name}:b", f"gen:{mine.name}"}]
        assert mine.get("a", lambda: 11) == 10  # and that read was stored
    assert len(at_commit) == 1  # one callback for the transaction's bumps
    at_commit[0]()
    assert calls[1:] == [{f"ver:{mine.name}:a", f"ver:{other.name}:b", f"gen:{mine.name}"}]
    # The commit retired what was read in between, from data not yet committed.
    assert (mine.get("a", lambda: 12), other.get("b", lambda: 20)) == (12, 20)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_write_retires_its_entry_at_once():
    mine = group()
    mine.get("a", lambda: 1)
    mine.invalidate("a")
    assert mine.get("a", lambda: 2) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_leaves_a_missing_version_missing_and_the_next_read_starts_it_afresh():
    mine = group()
    mine.get("a", lambda: 1)
    cache.delete(f"ver:{mine.name}:a")  # evicted, or never read since it expired
    mine.invalidate("a")
    assert cache.get(f"ver:{mine.name}:a") is None  # not started by the write: no round trips
    assert mine.get("a", lambda: 2) == 2  # the old entry is not served
    assert cache.get(f"ver:{mine.name}:a") is not None
    assert mine.get("a", lambda: 3) == 2
