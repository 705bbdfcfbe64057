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

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if time.monotonic() - self._opened_at >= self.reset_after and not self._probing:
                self._probing = True  # exactly one caller probes; the rest keep using memory
                return True
            return False

    def succeeded(self):
        if self._opened_at is None:
            return
        with self._lock:
            if self._opened_at is not None:
                logger.warning("Redis answers again: cache back on Redis")
            self._opened_at, self._probing = None, False

    def failed(self):
        with self._lock:
            if self._opened_at is None:
                logger.error("Redis unreachable: cache falls back to process memory")
            self._opened_at, self._probing = time.monotonic(), False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, reset_after: float) -> CircuitBreaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = CircuitBreaker(reset_after=reset_after)
        return _breakers[location]


def _guarded(name, *, fallback_default=None, has_fallback=True):
    def method(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            if self.breaker.allow():
                try:
                    result = getattr(RedisCache, name)(self, *args, **kwargs)
                except REDIS_ERRORS as exc:
                    self.breaker.failed()
                    logger.warning("cache %s failed: %s", name, exc)
                else:
                    self.breaker.succeeded()
                    return result
            if has_fallback:
                return getattr(self.fallback, name)(*args, **kwargs)
            return fallback_default
        finally:
            timing.add("cache", time.perf_counter() - started)

    method.__name__ = name
    return method


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

    get = _guarded("get")
    set = _guarded("set")
    add = _guarded("add")
    delete = _guarded("delete")
    get_many = _guarded("get_many")
    set_many = _guarded("set_many")
    delete_many = _guarded("delete_many")
    has_key = _guarded("has_key")
    incr = _guarded("incr")
    decr = _guarded("decr")
    touch = _guarded("touch")
    clear = _guarded("clear")
    delete_pattern = _guarded("delete_pattern", has_fallback=False, fallback_default=0)
    ttl = _guarded("ttl", has_fallback=False, fallback_default=None)
    expire = _guarded("expire", has_fallback=False, fallback_default=False)
