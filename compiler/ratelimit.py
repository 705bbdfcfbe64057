"""Per-caller compile budget: at most COMPILER_RATE_LIMIT_PER_MINUTE compiles a minute.

A one-minute core.throttle.Throttle (one INCR per compile, shared by every web process). Cached
answers count too: the budget stays simple to state, and they cost one INCR more. A burst
straddling two windows can reach twice the limit for a moment, which is fine for protecting the
pool. If the cache is down the budget is not enforced: learners keep compiling and the pool's own
queue bound still holds.
"""

from django.conf import settings

from core.throttle import Throttle

WINDOW_SECONDS = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"too many compiles: try again in {retry_after} s")
        self.retry_after = retry_after


def _budget() -> Throttle | None:
    limit = settings.COMPILER_RATE_LIMIT_PER_MINUTE
    return Throttle(name="compile", limit=limit, window_seconds=WINDOW_SECONDS) if limit else None


def charge(requester: str) -> None:
    """Counts one compile for `requester`; raises RateLimited once the minute's budget is spent."""
    budget = _budget()
    if budget is not None and (wait := budget.charge(requester)):
        raise RateLimited(retry_after=wait)


def spend_all(requester: str) -> None:
    """Spends the rest of the minute's budget: after a compile cut off at the time limit, so that
    one caller cannot keep the pool's few workers busy with slow compiles."""
    budget = _budget()
    if budget is not None:
        budget.exhaust(requester)
