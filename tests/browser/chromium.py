"""Debian's Chromium for the browser tests (Playwright's own browser downloads are not used)."""

import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def wait_until(predicate, *, page, seconds=10):
    """Polls `predicate` while the page keeps running (its timers, sockets and scripts)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        page.wait_for_timeout(50)
