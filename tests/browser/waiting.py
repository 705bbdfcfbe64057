import time


def wait_until(predicate, *, page, seconds=10):
    """Polls `predicate` while the page keeps running (its timers, sockets and scripts)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        page.wait_for_timeout(50)
