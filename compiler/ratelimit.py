"""Per-caller compile budget: at most COMPILER_RATE_LIMIT_PER_MINUTE compiles a minute.

A fixed one-minute window counted in the cache (one INCR per compile, shared by every web process).
Cached answers count too: the budget stays simple to state, and they cost one INCR more. A burst
straddling two windows can reach twice the limit for a moment, which is fine for protecting the
pool. If the cache is down the budget is not enforced: learners keep compiling and the pool's own
queue bound still holds.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"too many compiles: try again in {retry_after} s")
        self.retry_after = retry_after


def charge(requester: str) -> None:
    """Counts one compile for `requester`; raises RateLimited once the minute's budget is spent."""
    limit = settings.COMPILER_RATE_LIMIT_PER_MINUTE
    if not limit:
        return
    now = _now()
    key = _key(requester, now)
    try:
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first compile: create the counter with its expiry
            cache.add(key, 0, timeout=WINDOW_SECONDS + 30)
            count = cache.incr(key)
    except Exception:
        logger.warning("compile rate limit not enforced: cache unavailable", exc_info=True)
        return
    if count > limit:
        raise RateLimited(retry_after=max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS)))


def spend_all(requester: str) -> None:
    """Spends the rest of the minute's budget: after a compile cut off at the time limit, so that
    one caller cannot keep the pool's few workers busy with slow compiles."""
    limit = settings.COMPILER_RATE_LIMIT_PER_MINUTE
    if not limit:
        return
    try:
        cache.set(_key(requester, _now()), limit, timeout=WINDOW_SECONDS + 30)
    except Exception:
        logger.warning("compile budget not spent: cache unavailable", exc_info=True)


def _now() -> float:
    return time.time()


def _key(requester: str, now: float) -> str:
    # The window number in the key makes each minute's counter expire on its own.
    return f"compile:rate:{requester}:{int(now // WINDOW_SECONDS)}"
