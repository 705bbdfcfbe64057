"""Per-request timers (database, cache), kept in a context variable so threads and async
requests never mix their numbers."""

from contextvars import ContextVar

_timings: ContextVar[dict | None] = ContextVar("request_timings", default=None)


def start():
    """Begins collecting for the current request; returns the dict that will be filled."""
    timings = {}
    _timings.set(timings)
    return timings


def current() -> dict:
    """What the current request has collected so far: {name: (seconds, calls)}."""
    return dict(_timings.get() or {})


def stop():
    _timings.set(None)


def add(name: str, seconds: float, count: int = 1):
    timings = _timings.get()
    if timings is None:
        return
    total, calls = timings.get(name, (0.0, 0))
    timings[name] = (total + seconds, calls + count)
