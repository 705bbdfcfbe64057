"""Cache groups: the one place that decides keys, timeouts, invalidation and stampede control.

A group holds entries of one kind of data ("catalog", "leaderboard"). Each entry carries the
group's generation number; `invalidate()` bumps the generation, which retires every entry of the
group at once without scanning keys, and a racing writer of an old entry cannot resurrect it (its
generation is already stale). Entries also carry a soft expiry: past it, one request rebuilds
(it wins `cache.add` on a lock key) while the others keep serving the previous value; with no
value at all, the others wait briefly for the winner rather than all hitting PostgreSQL.
"""

import random
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from core import stats

LOCK_SECONDS = 10
WAIT_FOR_BUILD_SECONDS = 1.0
WAIT_STEP_SECONDS = 0.02

_MISSING = object()
_GROUPS = {}


@dataclass(frozen=True)
class CacheGroup:
    name: str
    timeout: int  # seconds an entry is fresh
    stale_for: int = 60  # seconds a stale entry may still be served while one request rebuilds
    # Each entry is fresh for a random part of the last `jitter` of `timeout`: entries built
    # together (a deploy, a cold start) would otherwise all go stale together, every time, and
    # their rebuilds land on the database at once (the leaderboard's 30 s spikes under load).
    jitter: float = 0.2

    def __post_init__(self):
        _GROUPS[self.name] = self

    @classmethod
    def named(cls, name) -> "CacheGroup":
        """The group defined under `name` (templates name the group a fragment belongs to)."""
        try:
            return _GROUPS[name]
        except KeyError:
            raise LookupError(f"No cache group is named {name!r}") from None

    @property
    def _generation_key(self):
        return f"gen:{self.name}"

    def _entry_key(self, key):
        return f"{self.name}:{key}"

    def _lock_key(self, key):
        return f"lock:{self.name}:{key}"

    def generation(self) -> int:
        return cache.get(self._generation_key) or self._start_generation()

    def _start_generation(self) -> int:
        # A missing generation (first use, eviction, Redis restart) starts from the clock, above
        # any generation an older entry could carry, so no retired entry comes back to life.
        cache.add(self._generation_key, time.time_ns() // 1000, None)
        return cache.get(self._generation_key) or 0

    def invalidate(self):
        """Retires every entry of the group now and again once the transaction commits: the
        second bump retires anything rebuilt from not-yet-committed data in between."""
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self):
        try:
            cache.incr(self._generation_key)
        except ValueError:
            self._start_generation()

    def get(self, key, build, *, cacheable=lambda value: True):
        """The entry for `key`, built by `build()` when missing, stale or of an old generation.
        A built value that `cacheable` refuses is returned but not stored."""
        entry_key = self._entry_key(key)
        found = cache.get_many([self._generation_key, entry_key])
        generation = found.get(self._generation_key) or self._start_generation()
        entry = found.get(entry_key)
        now = time.time()
        current = entry is not None and entry["generation"] == generation
        if current and now < entry["fresh_until"]:
            stats.record_cache(self.name, hit=True)
            return entry["value"]
        stats.record_cache(self.name, hit=False)
        if cache.add(self._lock_key(key), 1, LOCK_SECONDS):
            try:
                return self._build(entry_key, generation, build, cacheable)
            finally:
                cache.delete(self._lock_key(key))
        if current:
            return entry["value"]  # someone else is rebuilding: the previous value will do
        value = self._wait_for(entry_key, generation)
        if value is not _MISSING:
            return value
        return self._build(entry_key, generation, build, cacheable)

    def _build(self, entry_key, generation, build, cacheable):
        value = build()
        if cacheable(value):
            fresh_until = time.time() + self.timeout * (1 - self.jitter * random.random())
            entry = {"generation": generation, "fresh_until": fresh_until, "value": value}
            cache.set(entry_key, entry, self.timeout + self.stale_for)
        return value

    def _wait_for(self, entry_key, generation):
        deadline = time.monotonic() + WAIT_FOR_BUILD_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            entry = cache.get(entry_key)
            if entry is not None and entry["generation"] == generation:
                return entry["value"]
        return _MISSING

    def clear_entry(self, key):
        cache.delete(self._entry_key(key))
