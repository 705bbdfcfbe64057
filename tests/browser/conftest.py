"""Browser tests: Playwright drives Debian's Chromium (`make browser` installs it) against a live
server whose static files are served by WhiteNoise from the collected, hashed build, as in
production.

pytest-django's live_server is not used: it answers /static/ itself from the source folders, by
unhashed name, so the pages' hashed URLs would not be found.
"""

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.workers import worker_index

PORTS = range(19000, 19100)


@pytest.fixture
def browser(monkeypatch):
    """Chromium, for one test.

    Playwright's sync API keeps an asyncio loop running in the test's thread for as long as it is
    started. Meanwhile Django refuses ORM calls there unless told they are safe (they are: the
    loop never runs Django code), and hands out a separate set of connections, without the test
    database's serialized contents. So Playwright lives only as long as the test: the database
    fixtures, set up before and torn down after it, keep their own connections.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium.")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


def _served_by_the_app(handler):
    return handler


@dataclass
class LiveSite:
    url: str
    thread: LiveServerThread

    def stop(self):
        self.thread.terminate()


@pytest.fixture
def live_site(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = PORTS.start + (worker_index() * 50) % len(PORTS)
    for offset in range(len(PORTS)):
        port = PORTS.start + (first - PORTS.start + offset) % len(PORTS)
        thread = LiveServerThread("127.0.0.1", _served_by_the_app, port=port)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error is None:
            break
        thread.join()
    else:
        pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1}")
    site = LiveSite(url=f"http://127.0.0.1:{port}", thread=thread)
    yield site
    site.stop()


@pytest.fixture
def context(browser, live_site):
    """A fresh browser profile without the service worker: Playwright sees (and may hold back)
    every request the page makes only when no worker answers them."""
    context = browser.new_context(base_url=live_site.url, service_workers="block")
    yield context
    context.close()


@pytest.fixture
def context_with_service_worker(browser, live_site):
    context = browser.new_context(base_url=live_site.url)
    yield context
    context.close()


@pytest.fixture
def console_errors():
    return []


@pytest.fixture
def page(context, console_errors):
    page = context.new_page()
    page.on("console", lambda message: _is_error(message) and console_errors.append(message))
    page.on("pageerror", lambda error: console_errors.append(error))
    return page


def log_in(context, user, live_site):
    """Gives the browser a session for `user`, as if they had logged in."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_site.url}]
    )


def _is_error(message):
    # This live server is WSGI only: the room page's WebSocket is refused and the page falls back
    # to polling by design (the rooms' own browser tests run real ASGI servers). The browser logs
    # that refusal as an error, which says nothing about the page itself.
    if message.type != "error":
        return False
    return not ("WebSocket connection to" in message.text and "/ws/rooms/" in message.text)
