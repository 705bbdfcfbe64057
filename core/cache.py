"""Cache groups: the one place that decides keys, timeouts, invalidation and stampede control.

A group holds entries of one kind of data ("catalog", "leaderboard"). Each entry carries the
group's generation number; `invalidate()` bumps the generation, which retires every entry of the
group at once without scanning keys, and a racing writer of an old entry cannot resurrect it (its
generation is already stale). A group with `per_key_versions` also gives each key a version of its
own, read in the same round trip: `invalidate(key)` retires that key's entry alone (one learner's
progress) the same way. Entries also carry a soft expiry: past it, one request rebuilds
(it wins `cache.add` on a lock key) while the others keep serving the previous value; with no
value at all, the others wait briefly for the winner rather than all hitting PostgreSQL.
"""

import random
import threading
import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from core import stats

LOCK_SECONDS = 10
WAIT_FOR_BUILD_SECONDS = 1.0
WAIT_STEP_SECONDS = 0.02

_MISSING = object()
_GROUPS = {}
# What prefetch() read for the current request, by (group name, key): taken by get() once.
_PREFETCHED: ContextVar[dict | None] = ContextVar("cache_prefetched", default=None)


@contextmanager
def prefetch_scope():
    """A request's scope for prefetch(): what it read is forgotten when the scope ends, so that
    nothing read for one request can answer another."""
    token = _PREFETCHED.set({})
    try:
        yield
    finally:
        _PREFETCHED.reset(token)


def prefetch(pairs, *, also=()) -> dict:
    """Reads the entries of several (group, key) pairs in ONE round trip, for get() of each to
    take later in this request instead of a round trip of its own (a signed-in page needs the
    page, the learner's row and their progress: three round trips become one). `also`: plain
    keys of the cache read in the same round trip, whose values are returned. Does nothing
    outside a prefetch_scope()."""
    memo = _PREFETCHED.get()
    if memo is None or not pairs:
        return {}
    _flush_pending()
    wanted = {pair: pair[0]._wanted(pair[1]) for pair in pairs}
    keys = dict.fromkeys(k for keys in wanted.values() for k in keys)
    found = cache.get_many([*keys, *also])
    for (group, key), keys in wanted.items():
        memo[(group.name, key)] = {k: found[k] for k in keys if k in found}
    return {k: found[k] for k in also if k in found}


@dataclass(frozen=True)
class CacheGroup:
    name: str
    timeout: int  # seconds an entry is fresh
    stale_for: int = 60  # seconds a stale entry may still be served while one request rebuilds
    # Each entry is fresh for a random part of the last `jitter` of `timeout`: entries built
    # together (a deploy, a cold start) would otherwise all go stale together, every time, and
    # their rebuilds land on the database at once.
    jitter: float = 0.2
    # Entries that one write makes stale one key at a time (a learner's own data): each key gets
    # a version, which expires with its entry so that a key per learner does not outlive it.
    per_key_versions: bool = False
    # Entries a process may have written past while Redis was out of its reach (a learner's row
    # whose revocation only PostgreSQL saw): retired whole when that process reaches Redis again.
    retire_after_outage: bool = False
    # Entries each read by one learner alone (their row, their progress): rebuilt without the
    # stampede lock, which pays only where many requests want the same entry at once and costs
    # two round trips (take it, free it) on every rebuild, after every write of theirs.
    personal: bool = False

    def __post_init__(self):
        _GROUPS[self.name] = self

    @classmethod
    def named(cls, name) -> "CacheGroup":
        """The group defined under `name` (templates name the group a fragment belongs to)."""
        try:
            return _GROUPS[name]
        except KeyError:
            raise LookupError(f"No cache group is named {name!r}") from None

    @classmethod
    def retire_after_outage_groups(cls):
        """Bumps the generation of every group marked `retire_after_outage` (called by the cache
        backend when its circuit breaker closes again)."""
        for group in list(_GROUPS.values()):
            if group.retire_after_outage:
                group._bump()

    @property
    def _generation_key(self):
        return f"gen:{self.name}"

    def _entry_key(self, key):
        return f"{self.name}:{key}"

    def _lock_key(self, key):
        return f"lock:{self.name}:{key}"

    def _version_key(self, key):
        return f"ver:{self.name}:{key}"

    def generation(self) -> int:
        _flush_pending()
        return cache.get(self._generation_key) or self._start_generation()

    def _start_generation(self) -> int:
        return self._start(self._generation_key, timeout=None)

    def _start(self, counter_key, *, timeout) -> int:
        return _start_counter(counter_key, timeout=timeout)

    def invalidate(self, key=None):
        """Retires every entry of the group (or, with per_key_versions, the entry of `key`) now
        and again once the transaction commits: the second bump retires anything rebuilt from
        not-yet-committed data in between. Inside a transaction both bumps are batched: the
        first is made before this process next reads the cache, the second with every other
        bump of the transaction in one round trip once it commits (a lesson completion retires
        the learner's progress, row and profile: two round trips instead of six)."""
        if key is not None and not self.per_key_versions:
            raise ValueError(f"cache group {self.name!r} has no per-key versions")
        counter_key, _ = self._counter(key)
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            _bump_now({counter_key: 1})  # the write has committed already
            return
        _pending().add(counter_key)
        _commit_batch(connection).add(counter_key)

    def _counter(self, key):
        """The generation (key None) or the key's version, and how long that counter lives."""
        if key is None:
            return self._generation_key, None
        return self._version_key(key), self.timeout + self.stale_for

    def _bump(self, key=None):
        counter_key, _ = self._counter(key)
        _bump_now({counter_key: 1})

    def _stamp(self, found, key):
        """What an entry of `key` must carry to be current: the generation, and the key's version
        in a group with per_key_versions."""
        generation = found.get(self._generation_key) or self._start_generation()
        if not self.per_key_versions:
            return generation
        version_key, timeout = self._counter(key)
        return (generation, found.get(version_key) or self._start(version_key, timeout=timeout))

    def _wanted(self, key) -> list[str]:
        """The cache keys get() reads for `key`: the generation, the entry, its version."""
        wanted = [self._generation_key, self._entry_key(key)]
        if self.per_key_versions:
            wanted.append(self._version_key(key))
        return wanted

    def get(self, key, build, *, cacheable=lambda value: True, valid=lambda value: True):
        """The entry for `key`, built by `build()` when missing, stale or of an old generation
        (or version), or when `valid(value)` refuses it (a value that carries what it was built
        from: a learner's rank and the XP it ranks). A built value that `cacheable` refuses is
        returned but not stored."""
        entry_key = self._entry_key(key)
        found = self._read(key)
        stamp = self._stamp(found, key)
        entry = found.get(entry_key)
        current = entry is not None and entry.get("stamp") == stamp and valid(entry["value"])
        if current and time.time() < entry["fresh_until"]:
            stats.record_cache(self.name, hit=True)
            return entry["value"]
        stats.record_cache(self.name, hit=False)
        if self.personal:
            return self._build(entry_key, stamp, build, cacheable)
        if cache.add(self._lock_key(key), 1, LOCK_SECONDS):
            try:
                return self._build(entry_key, stamp, build, cacheable)
            finally:
                cache.delete(self._lock_key(key))
        if current:
            return entry["value"]  # someone else is rebuilding: the previous value will do
        value = self._wait_for(entry_key, stamp, valid)
        if value is not _MISSING:
            return value
        return self._build(entry_key, stamp, build, cacheable)

    def peek(self, key, default=None):
        """The entry for `key` when one of the current generation (and version) is stored, fresh
        or stale; `default` otherwise. Builds nothing and waits for no one."""
        found = self._read(key)
        entry = found.get(self._entry_key(key))
        if entry is None or entry.get("stamp") != self._stamp(found, key):
            return default
        return entry["value"]

    def _read(self, key) -> dict:
        """What get() and peek() read for `key` (see _wanted): prefetched for this request, or
        one round trip now."""
        _flush_pending()
        memo = _PREFETCHED.get()
        found = memo.pop((self.name, key), None) if memo is not None else None
        return cache.get_many(self._wanted(key)) if found is None else found

    def get_many(self, keys, build_missing) -> dict:
        """The entries of `keys` in one round trip; those missing or stale are built together by
        `build_missing(missing_keys) -> {key: value}` (one query for all of them, not one each)
        and stored. No per-key lock: for groups whose values are cheap to build in a batch.
        Not for groups with per-key versions."""
        if self.per_key_versions:
            raise ValueError(f"cache group {self.name!r} has per-key versions: use get()")
        keys = list(keys)
        if not keys:
            return {}
        _flush_pending()
        found = cache.get_many([self._generation_key, *map(self._entry_key, keys)])
        stamp = self._stamp(found, None)
        now, values, missing = time.time(), {}, []
        for key in keys:
            entry = found.get(self._entry_key(key))
            fresh = entry is not None and entry.get("stamp") == stamp and now < entry["fresh_until"]
            stats.record_cache(self.name, hit=fresh)
            if fresh:
                values[key] = entry["value"]
            else:
                missing.append(key)
        if missing:
            built = build_missing(missing)
            values.update(built)
            cache.set_many(
                {self._entry_key(key): self._entry(stamp, value) for key, value in built.items()},
                self.timeout + self.stale_for,
            )
        return values

    def _entry(self, stamp, value) -> dict:
        """What is stored for a value: its stamp, and when it goes stale (jittered)."""
        fresh_until = time.time() + self.timeout * (1 - self.jitter * random.random())
        return {"stamp": stamp, "fresh_until": fresh_until, "value": value}

    def _build(self, entry_key, stamp, build, cacheable):
        value = build()
        if cacheable(value):
            cache.set(entry_key, self._entry(stamp, value), self.timeout + self.stale_for)
        return value

    def _wait_for(self, entry_key, stamp, valid):
        deadline = time.monotonic() + WAIT_FOR_BUILD_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            entry = cache.get(entry_key)
            if entry is not None and entry.get("stamp") == stamp and valid(entry["value"]):
                return entry["value"]
        return _MISSING


def _start_counter(counter_key, *, timeout) -> int:
    # A missing generation or version (first use, eviction, Redis restart) starts from the
    # clock, above any number an older entry could carry, so no retired entry comes back.
    cache.add(counter_key, time.time_ns() // 1000, timeout)
    return cache.get(counter_key) or 0


def _bump_now(amounts: dict) -> None:
    """Adds to each counter, {counter key: amount}, in one round trip where the cache
    can (core.cache_backend). A counter that is missing (never read, expired, evicted) is left
    missing: no entry can carry it, and whoever reads the group next starts it from the clock
    before building anything (`_stamp`), which is what starting it here would have done, at two
    round trips more for every write of a learner whose profile nobody has read lately."""
    incr_many = getattr(cache, "incr_existing_many", None)
    if incr_many is not None:
        incr_many(amounts)
        return
    for counter_key, amount in amounts.items():
        with suppress(ValueError):  # missing: see above
            cache.incr(counter_key, amount)  # keeps the key's expiry


class _Bumps:
    """Counters to bump together, each as often as it was asked to be."""

    def __init__(self):
        self.counters = {}  # counter key -> amount

    def add(self, counter_key):
        self.counters[counter_key] = self.counters.get(counter_key, 0) + 1

    def __bool__(self):
        return bool(self.counters)

    def __call__(self):
        counters, self.counters = self.counters, {}
        if counters:
            _bump_now(counters)


_local = threading.local()


def _pending() -> _Bumps:
    """The bumps this thread owes before it reads the cache again: "now" in invalidate()."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = _Bumps()
    return pending


def _flush_pending() -> None:
    pending = getattr(_local, "pending", None)
    if pending:
        pending()


def _commit_batch(connection) -> _Bumps:
    """The bumps the current transaction makes once it commits: registered with on_commit once,
    and again in a new transaction (the previous one committed or rolled back, which dropped
    it from the connection's callbacks)."""
    batch = getattr(connection, "_cache_group_bumps", None)
    if batch is None or not any(entry[1] is batch for entry in connection.run_on_commit):
        batch = connection._cache_group_bumps = _CommitBumps()
        connection.on_commit(batch)
    return batch


class _CommitBumps(_Bumps):
    def __call__(self):
        # The "now" bumps still owed go in the same round trip.
        pending = getattr(_local, "pending", None)
        if pending:
            for counter_key, amount in pending.counters.items():
                self.counters[counter_key] = self.counters.get(counter_key, 0) + amount
            pending.counters = {}
        super().__call__()
