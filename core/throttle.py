"""Attempt counters for throttling (failed logins, signups, compiles): fixed windows in the cache.

One INCR per counted attempt, shared by every web process through Redis (the "counters" cache,
which a flood of cached pages cannot evict: see CACHES in config/settings.py). Each
counter carries its window number in its key and expires with the window, so a throttle releases
itself: nobody has to unlock anything. Keys hold a hash of what they count (an address, a
username), never the raw value, so hostile input cannot shape or bloat them.

When Redis is down the cache falls back to process memory (core.cache_backend): counting goes on
per process, a looser but still real limit. A cache error of any other kind lets the attempt
through: throttling must never take the login page down with it.
"""

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import caches

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Throttle:
    name: str
    limit: int
    window_seconds: int

    @classmethod
    def from_setting(cls, name: str, value) -> "Throttle":
        limit, window_seconds = value
        return cls(name=name, limit=limit, window_seconds=window_seconds)

    def wait_seconds(self, subject: str) -> int:
        """0 while `subject` may try again, else the seconds until its window ends. A limit of
        0 or less never throttles (a setting that turns the throttle off)."""
        if self.limit <= 0:
            return 0
        now = _now()
        try:
            count = _counters().get(self._key(subject, now)) or 0
        except Exception:
            logger.warning("throttle %s not checked: cache unavailable", self.name, exc_info=True)
            return 0
        return self._seconds_left(now) if count >= self.limit else 0

    def hit(self, subject: str) -> int:
        """Counts one attempt by `subject` in the current window; returns the window's count so
        far (0 when the cache is unavailable)."""
        return self._count(subject, _now())

    def charge(self, subject: str) -> int:
        """Counts one attempt, then returns 0 while `subject` is within its limit, else the
        seconds until its window ends: the attempt past the limit is counted and refused."""
        if self.limit <= 0:
            return 0
        now = _now()
        return self._seconds_left(now) if self._count(subject, now) > self.limit else 0

    def exhaust(self, subject: str) -> None:
        """Spends whatever `subject` has left of the current window."""
        try:
            _counters().set(self._key(subject, _now()), self.limit, timeout=self._timeout)
        except Exception:
            logger.warning("throttle %s not spent: cache unavailable", self.name, exc_info=True)

    def _count(self, subject: str, now: float) -> int:
        key = self._key(subject, now)
        try:
            try:
                return _counters().incr(key)
            except ValueError:  # the window's first attempt: create the counter with its expiry
                if _counters().add(key, 1, timeout=self._timeout):
                    return 1
                return _counters().incr(key)
        except Exception:
            logger.warning("throttle %s not counted: cache unavailable", self.name, exc_info=True)
            return 0

    @property
    def _timeout(self) -> int:
        # A little past the window, so that a counter never expires while its window is open.
        return self.window_seconds + 30

    def reset(self, subject: str) -> None:
        try:
            _counters().delete(self._key(subject, _now()))
        except Exception:
            logger.warning("throttle %s not reset: cache unavailable", self.name, exc_info=True)

    def _key(self, subject: str, now: float) -> str:
        digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"throttle:{self.name}:{digest}:{int(now // self.window_seconds)}"

    def _seconds_left(self, now: float) -> int:
        return max(1, math.ceil(self.window_seconds - now % self.window_seconds))


def admit(*budgets: tuple[Throttle, str]) -> int:
    """Counts one attempt against each (throttle, subject) and returns 0; or, when any of them is
    used up, counts nothing and returns the seconds to wait."""
    wait = max((throttle.wait_seconds(subject) for throttle, subject in budgets), default=0)
    if wait:
        return wait
    for throttle, subject in budgets:
        if subject:
            throttle.hit(subject)
    return 0


def describe_wait(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def _counters():
    return caches["counters"]


def _now() -> float:
    return time.time()
