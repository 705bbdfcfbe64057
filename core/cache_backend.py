"""A Redis cache that keeps the site up when Redis is not.

Every call goes to Redis (django-redis) unless the circuit breaker is open; a connection error or
timeout opens it for `BREAKER_RESET_SECONDS`, during which calls go straight to a small
per-process memory cache instead of each waiting on a dead socket. After that one call probes
Redis again ("half-open"); success closes the breaker. Time spent in cache calls is added to the
current request's timing (Server-Timing: cache).

Trade-off: while Redis is unreachable, writes land only in this process's memory. A Redis restart
(no persistence here) comes back empty, so nothing stale survives it; entries that expire on
their own keep any lag bounded by their timeout.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from core import timing

logger = logging.getLogger(__name__)

REDIS_ERRORS = (ConnectionInterrupted, RedisError, OSError)


class CircuitBreaker:
    """Process-wide (cache objects are per thread; the state of the server is not)."""

    def __init__(self, *, reset_after: float):
        self.reset_after = reset_after
        self._opened_at = None
        self._probing = False
        self._lock = threading.Lock()
        self.openings = 0

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def state(self) -> dict:
        """What operators see (`/ready`, `cache_stats`): closed, open, or half-open while the one
        probe is out; with how long it has been open."""
        with self._lock:
            if self._opened_at is None:
                return {"state": "closed"}
            return {
                "state": "half-open" if self._probing else "open",
                "open_for_s": round(time.monotonic() - self._opened_at, 1),
                "opened": self.openings,
            }

    def allow(self) -> bool:
        if self._opened_at is None:
            return True  # closed, the common case: no lock (an opening shows on the next call)
        with self._lock:
            if self._opened_at is None:
                return True
            if time.monotonic() - self._opened_at >= self.reset_after and not self._probing:
                self._probing = True  # exactly one caller probes; the rest keep using memory
                return True
            return False

    def released(self):
        """The call let through neither proved Redis up nor down (it raised something that is not
        a connection error, e.g. `incr` of a missing key): the next caller probes instead.
        Without this the probe slot stays taken and the breaker never closes again."""
        with self._lock:
            self._probing = False

    def succeeded(self) -> float | None:
        """Closes the breaker; returns how long it was open when this call closed it."""
        if self._opened_at is None:
            return None
        with self._lock:
            if self._opened_at is None:
                return None
            open_for = time.monotonic() - self._opened_at
            logger.warning("Redis answers again after %.1f s: cache back on Redis", open_for)
            self._opened_at, self._probing = None, False
            return open_for

    def failed(self):
        with self._lock:
            if self._opened_at is None:
                logger.error("Redis unreachable: cache falls back to process memory")
                self.openings += 1
            self._opened_at, self._probing = time.monotonic(), False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, reset_after: float) -> CircuitBreaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = CircuitBreaker(reset_after=reset_after)
        return _breakers[location]


def _guarded(name, *, fallback_default=None, has_fallback=True, redis=None, fallback=None):
    """`name` on Redis (RedisCache's, or `redis(self, ...)`), on the process's memory cache
    (its own, or `fallback(memory_cache, ...)`) while the breaker is open."""
    on_redis = redis or getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            if self.breaker.allow():
                try:
                    result = on_redis(self, *args, **kwargs)
                except REDIS_ERRORS as exc:
                    self.breaker.failed()
                    logger.warning("cache %s failed: %s", name, exc)
                except BaseException:
                    self.breaker.released()
                    raise
                else:
                    open_for = self.breaker.succeeded()
                    if open_for is not None:
                        self.record_recovery(open_for)
                    return result
            if fallback is not None:
                return fallback(self.fallback, *args, **kwargs)
            if has_fallback:
                return getattr(self.fallback, name)(*args, **kwargs)
            return fallback_default
        finally:
            timing.add("cache", time.perf_counter() - started)

    method.__name__ = name
    return method


# INCRBY only where the key exists: a missing counter must start again from the clock
# (core.cache), not from the amount. Like django-redis's incr, whose script this is.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""


def _incr_existing_many_on_redis(self, amounts: dict) -> list:
    pipeline = self.client.get_client(write=True).pipeline(transaction=False)
    for key, amount in amounts.items():
        pipeline.eval(_INCR_EXISTING, 1, self.client.make_key(key), amount)
    return [key for key, value in zip(amounts, pipeline.execute(), strict=True) if value is None]


def _incr_existing_many_in_memory(memory, amounts: dict) -> list:
    missing = []
    for key, amount in amounts.items():
        try:
            memory.incr(key, amount)
        except ValueError:
            missing.append(key)
    return missing


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        super().__init__(server, params)
        reset_after = float(options.get("BREAKER_RESET_SECONDS", 5))
        self.breaker = breaker_for(str(server), reset_after)
        self.fallback = LocMemCache(
            f"fallback-{server}",
            {
                "TIMEOUT": options.get("FALLBACK_TIMEOUT", 60),
                "OPTIONS": {"MAX_ENTRIES": options.get("FALLBACK_MAX_ENTRIES", 2000)},
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
            },
        )

    @property
    def redis_available(self) -> bool:
        return not self.breaker.is_open

    def _outages_key(self):
        return f"{self.key_prefix}:cache-breaker:outages"

    def record_recovery(self, open_for: float):
        """Each process counts its own outages in Redis once Redis answers again, so that
        `cache_stats`, run anywhere, sees them for every process. Best effort. Groups whose
        entries may have gone stale behind the outage are retired first."""
        try:
            from core.cache import CacheGroup

            CacheGroup.retire_after_outage_groups()
        except Exception as exc:
            logger.warning("cache groups not retired after the outage: %s", exc)
        try:
            pipe = self.client.get_client(write=True).pipeline(transaction=False)
            key = self._outages_key()
            pipe.hincrby(key, "openings", 1)
            pipe.hincrbyfloat(key, "open_seconds", round(open_for, 3))
            pipe.hset(key, mapping={"last_closed": time.time(), "last_open_seconds": open_for})
            pipe.execute()
        except Exception as exc:
            logger.info("breaker recovery not recorded: %s", exc)

    def outages(self) -> dict:
        """Outages recorded by every process: openings, seconds open, when the last closed."""
        raw = self.client.get_client(write=False).hgetall(self._outages_key())
        values = {key.decode(): float(value) for key, value in raw.items()}
        return {
            "openings": int(values.get("openings", 0)),
            "open_seconds": round(values.get("open_seconds", 0.0), 1),
            "last_closed": values.get("last_closed"),
            "last_open_seconds": values.get("last_open_seconds"),
        }

    get = _guarded("get")
    set = _guarded("set")
    add = _guarded("add")
    delete = _guarded("delete")
    get_many = _guarded("get_many")
    set_many = _guarded("set_many")
    delete_many = _guarded("delete_many")
    has_key = _guarded("has_key")
    incr = _guarded("incr")
    # {key: amount}: each existing key incremented, all in one round trip; returns the keys that
    # do not exist (left missing).
    incr_existing_many = _guarded(
        "incr_existing_many",
        redis=_incr_existing_many_on_redis,
        fallback=_incr_existing_many_in_memory,
    )
    decr = _guarded("decr")
    touch = _guarded("touch")
    clear = _guarded("clear")
    delete_pattern = _guarded("delete_pattern", has_fallback=False, fallback_default=0)
    ttl = _guarded("ttl", has_fallback=False, fallback_default=None)
    expire = _guarded("expire", has_fallback=False, fallback_default=False)
