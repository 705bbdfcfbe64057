"""The room page in a real browser (Playwright driving Debian's Chromium): two learners on two
ASGI servers see each other's chat and edits through the page's live module, and a page whose
socket cannot open falls back to polling.

Playwright's sync API keeps an event loop running in the test's thread, and while one runs,
Django keeps database connections per context instead of per thread: the test's own connection
(the one pytest-django flushes and restores) would be swapped for a stray one. So every database
call here happens outside the `with chromium()` block, and Chromium is started per test.
"""

import os
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, wait_until
from tests.collaboration.live import session_cookie, two_servers
from tests.factories import RoomFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("everyone_joins_rooms"),
]

EDITOR_MODULE = re.compile(r"/static/dist/editor(\.[0-9a-f]+)?\.js$")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    # DEBUG serves /static/ from the source folders (WhiteNoise's finders), as `make run` does.
    logs = tmp_path_factory.mktemp("asgi-browser")
    with two_servers(
        base_port=18240, logs=logs, django_db_blocker=django_db_blocker,
        DEBUG="1", DEBUG_TOOLBAR="0",
    ) as started:  # fmt: skip
        yield started


@contextmanager
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_room(browser, server, room, cookie, *, block_socket=False):
    context = browser.new_context(base_url=server.origin)
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": server.origin}])
    if block_socket:
        context.route_web_socket(re.compile(r".*/ws/.*"), lambda socket: socket.close())
    page = context.new_page()
    page.polls = []
    page.on("request", lambda request: "/messages/" in request.url and page.polls.append(1))
    page.goto(room.get_absolute_url())
    return page


def open_editor(page):
    """Clicks into the shared code, as a learner does, and waits for CodeMirror to take over."""
    page.get_by_label("Contract source").click()
    expect(page.locator(".cm-content")).to_be_focused()
    expect(page.locator("#id_code")).to_be_hidden()


def test_two_learners_on_two_servers_chat_and_edit_live_in_the_page(servers):
    room = RoomFactory(code="contract Start {}")
    cookies = {name: session_cookie(name) for name in ("alice", "bob")}
    with chromium() as browser:
        alice = open_room(browser, servers[0], room, cookies["alice"])
        bob = open_room(browser, servers[1], room, cookies["bob"])
        for page in (alice, bob):
            expect(page.locator("#live-status")).to_contain_text("here now: alice, bob")

        alice.fill("#id_body", "gm bob")
        alice.click("#chat-form button[type=submit]")

        expect(bob.locator("#chat-messages")).to_contain_text("gm bob")
        expect(alice.locator("#chat-messages")).to_contain_text("gm bob")
        expect(alice.locator("#id_body")).to_have_value("")
        polls_while_live = len(bob.polls)

        # Bob has the code editor open (a click loads CodeMirror in place of the textarea). Alice
        # clicks into the code and types at once, as learners do, before her editor has loaded
        # (its module is held back): what she types must not be lost. She selects everything and
        # puts her code in its place in one input, as a paste does (key by key, a pause longer
        # than the edit debounce on a loaded machine would send two edits: version 2).
        open_editor(bob)
        held = []
        alice.route(EDITOR_MODULE, lambda route: held.append(route))
        alice.get_by_label("Contract source").click()
        wait_until(lambda: held, page=alice)
        alice.keyboard.press("ControlOrMeta+a")
        alice.keyboard.insert_text("contract Edited {}")

        expect(bob.locator(".cm-content")).to_have_text("contract Edited {}")
        expect(bob.locator("#id_code")).to_have_value("contract Edited {}")
        expect(bob.locator("#code-version")).to_have_text("1")
        expect(bob.locator("#id_version")).to_have_value("1")
        assert len(bob.polls) == polls_while_live  # no polling while the socket is open

        held[0].continue_()  # her editor loads with her text and takes her focus over
        expect(alice.locator(".cm-content")).to_be_focused()
        expect(alice.locator(".cm-content")).to_have_text("contract Edited {}")
        expect(alice.locator("#id_code")).to_be_hidden()
    room.refresh_from_db()
    assert (room.code, room.code_version) == ("contract Edited {}", 1)


def test_a_page_whose_socket_cannot_open_falls_back_to_polling_and_the_form(servers):
    room = RoomFactory()
    cookies = {name: session_cookie(name) for name in ("alice", "bob")}
    with chromium() as browser:
        live = open_room(browser, servers[0], room, cookies["alice"])
        offline = open_room(browser, servers[1], room, cookies["bob"], block_socket=True)
        expect(live.locator("#live-status")).to_contain_text("here now: alice")

        live.fill("#id_body", "anyone there?")
        live.click("#chat-form button[type=submit]")
        expect(offline.locator("#chat-messages")).to_contain_text("anyone there?", timeout=10_000)
        assert offline.polls

        offline.fill("#id_body", "yes, polling")
        offline.click("#chat-form button[type=submit]")
        expect(live.locator("#chat-messages")).to_contain_text("yes, polling")
