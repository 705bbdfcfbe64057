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
