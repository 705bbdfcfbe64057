"""The room consumer through the whole ASGI stack (origin check, session auth, routing) on the
real Redis channel layer, one process. Cross-process behaviour is in test_live_servers.py.

Transactional: the consumer reads and writes through database_sync_to_async, on a connection
other than the test's, so what a test sets up must be committed.
"""

import json
from dataclasses import dataclass

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.urls import reverse

from collaboration.frames import CODE_MAX_CHARS, FRAME_MAX_CHARS
from collaboration.models import ChatMessage, Room
from collaboration.presence import RedisPresence, member
from config.asgi import application
from tests.factories import ChatMessageFactory, RoomFactory, UserFactory

# Generous: a loaded machine is slow, and a frame that never comes fails the test either way.
WAIT = 10

pytestmark = [
    pytest.mark.usefixtures("everyone_joins_rooms"),
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@dataclass
class Learner:
    user: object
    cookie: str


@pytest.fixture
def login(settings):
    def login(username):
        user = UserFactory(username=username)
        # A client each: logging a second learner into one client ends the first's session.
        client = Client()
        client.force_login(user)
        return Learner(user, client.cookies[settings.SESSION_COOKIE_NAME].value)

    return login


@pytest_asyncio.fixture(autouse=True)
async def _close_the_async_threads_connections():
    """The consumer's queries and the async ORM's run in asgiref's one sync thread, whose
    connection would otherwise outlive the test and block dropping the test database."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def alice(login):
    return login("alice")


@pytest.fixture
def bob(login):
    return login("bob")


@pytest.fixture
def room(transactional_db):
    return RoomFactory(code="contract V0 {}")


async def connect(room_slug, learner=None, *, origin="http://127.0.0.1:8000"):
    headers = [(b"origin", origin.encode())]
    if learner is not None:
        headers.append((b"cookie", f"sessionid={learner.cookie}".encode()))
    socket = WebsocketCommunicator(application, f"/ws/rooms/{room_slug}/", headers=headers)
    connected, _ = await socket.connect(WAIT)
    return socket, connected


async def joined(room, learner, *, first_tab=True):
    """A connected socket whose welcome (and, for a learner's first tab, own presence
    announcement) is already read."""
    socket, connected = await connect(room.slug, learner)
    assert connected
    welcome = await socket.receive_json_from(WAIT)
    assert welcome["type"] == "welcome"
    if first_tab:
        await receive_until(socket, "presence")
    return socket, welcome


async def closed_with(socket, code, *, timeout=WAIT):
    """Reads frames until the server closes the socket; returns the error frame it sent last."""
    last_error = None
    while True:
        output = await socket.receive_output(timeout)
        if output["type"] == "websocket.close":
            assert output.get("code") == code
            return last_error
        frame = json.loads(output["text"])
        if frame["type"] == "error":
            last_error = frame


async def receive_until(socket, kind, *, timeout=WAIT):
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def test_a_learner_joining_gets_the_code_the_latest_messages_and_who_is_here(room, alice):
    await sync_to_async(ChatMessageFactory)(room=room, body="earlier")
    socket, welcome = await joined(room, alice)
    assert welcome["me"] == "alice"
    assert (welcome["code"], welcome["version"]) == ("contract V0 {}", 0)
    assert [message["body"] for message in welcome["messages"]] == ["earlier"]
    assert welcome["users"] == [{"id": alice.user.pk, "username": "alice"}]
    await socket.disconnect()


async def test_an_anonymous_visitor_is_refused(room):
    _, connected = await connect(room.slug)
    assert not connected


async def test_a_page_on_another_site_cannot_open_a_socket_with_the_learners_cookie(room, alice):
    _, connected = await connect(room.slug, alice, origin="https://evil.example")
    assert not connected


async def test_a_closed_or_unknown_room_is_refused(alice):
    closed = await Room.objects.acreate(slug="closed", title="Closed", owner=alice.user)
    await Room.objects.filter(pk=closed.pk).aupdate(active=False)
    for slug in ("closed", "no-such-room"):
        _, connected = await connect(slug, alice)
        assert not connected


async def test_a_chat_message_is_saved_then_acknowledged_then_broadcast_to_the_others(
    room, alice, bob
):
    alice_socket, _ = await joined(room, alice)
    bob_socket, _ = await joined(room, bob)
    await receive_until(alice_socket, "presence")  # bob arrived

    await alice_socket.send_json_to({"type": "chat", "body": "  gm  ", "ref": "m1"})

    ack = await receive_until(alice_socket, "ack")
    saved = await ChatMessage.objects.select_related("author").aget(pk=ack["id"])
    assert (ack["ref"], saved.body, saved.author.username) == ("m1", "gm", "alice")
    broadcast = await receive_until(bob_socket, "chat")
    for message in (ack["message"], broadcast["message"]):
        assert (message["id"], message["author"], message["body"]) == (saved.pk, "alice", "gm")
    await alice_socket.send_json_to({"type": "ping"})
    assert (await alice_socket.receive_json_from(WAIT))["type"] == "pong"  # no echo after the ack
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_an_accepted_edit_is_saved_and_reaches_the_others_but_not_its_author(
    room, alice, bob
):
    alice_socket, _ = await joined(room, alice)
    bob_socket, _ = await joined(room, bob)

    await alice_socket.send_json_to({"type": "edit", "code": "contract V1 {}", "version": 0})

    saved = await receive_until(alice_socket, "saved")
    assert saved == {"type": "saved", "ref": None, "version": 1}
    code = await receive_until(bob_socket, "code")
    assert code == {"type": "code", "code": "contract V1 {}", "version": 1, "by": "alice"}
    await room.arefresh_from_db()
    assert (room.code, room.code_version) == ("contract V1 {}", 1)
    await alice_socket.send_json_to({"type": "ping"})
    assert (await alice_socket.receive_json_from(WAIT))["type"] == "pong"  # no echo of its own edit
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_a_stale_edit_is_rejected_with_the_current_code_and_version(room, alice, bob):
    alice_socket, _ = await joined(room, alice)
    bob_socket, _ = await joined(room, bob)
    await alice_socket.send_json_to({"type": "edit", "code": "alice's", "version": 0})
    await receive_until(alice_socket, "saved")

    await bob_socket.send_json_to({"type": "edit", "code": "bob's", "version": 0, "ref": 7})

    stale = await receive_until(bob_socket, "stale")
    assert stale == {"type": "stale", "ref": 7, "code": "alice's", "version": 1}
    await room.arefresh_from_db()
    assert (room.code, room.code_version) == ("alice's", 1)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


BAD_FRAMES = {
    "binary": b"\x00\x01",
    "malformed": "{not json",
    "not an object": "[1, 2]",
    "unknown type": json.dumps({"type": "shout"}),
    "empty message": json.dumps({"type": "chat", "body": "   "}),
    "message too long": json.dumps({"type": "chat", "body": "x" * 2001}),
    "message not text": json.dumps({"type": "chat", "body": ["hi"]}),
    "negative version": json.dumps({"type": "edit", "code": "x", "version": -1}),
    "version as text": json.dumps({"type": "edit", "code": "x", "version": "0"}),
    "version true": json.dumps({"type": "edit", "code": "x", "version": True}),
    "code too long": json.dumps({"type": "edit", "code": "x" * (CODE_MAX_CHARS + 1), "version": 0}),
    "ref too long": json.dumps({"type": "ping", "ref": "r" * 65}),
    "oversized frame": json.dumps({"type": "chat", "body": "x" * FRAME_MAX_CHARS}),
    "nesting bomb": "[" * 100_000,
}
EXPECTED_CODES = {
    "binary": "binary",
    "malformed": "malformed",
    "not an object": "malformed",
    "nesting bomb": "malformed",
    "unknown type": "unknown_type",
    "oversized frame": "too_large",
}


@pytest.mark.parametrize("name", BAD_FRAMES)
async def test_a_bad_frame_gets_an_error_frame_and_the_connection_stays_open(room, alice, name):
    socket, _ = await joined(room, alice)
    frame = BAD_FRAMES[name]
    if isinstance(frame, bytes):
        await socket.send_to(bytes_data=frame)
    else:
        await socket.send_to(text_data=frame)

    error = await socket.receive_json_from(WAIT)
    assert error["type"] == "error" and error["message"]
    assert error["code"] == EXPECTED_CODES.get(name, "invalid")
    await socket.send_json_to({"type": "ping", "ref": "still here"})
    assert await socket.receive_json_from(WAIT) == {"type": "pong", "ref": "still here"}
    assert not await ChatMessage.objects.aexists()
    await room.arefresh_from_db()
    assert room.code_version == 0
    await socket.disconnect()


async def test_a_flood_of_chat_messages_is_rate_limited_per_connection(room, alice):
    socket, _ = await joined(room, alice)
    for number in range(8):
        await socket.send_json_to({"type": "chat", "body": f"spam {number}", "ref": number})
    answers = []
    while len(answers) < 8:
        frame = await socket.receive_json_from(WAIT)
        if frame["type"] in {"ack", "error"}:
            answers.append(frame)
    refused = [frame for frame in answers if frame["type"] == "error"]
    assert refused and all(frame["code"] == "rate_limited" for frame in refused)
    assert await ChatMessage.objects.acount() == 8 - len(refused) >= 5
    await socket.disconnect()


async def test_presence_is_announced_when_learners_join_and_leave(room, alice, bob):
    alice_socket, _ = await joined(room, alice)
    bob_socket, welcome = await joined(room, bob)
    assert [user["username"] for user in welcome["users"]] == ["alice", "bob"]
    joined_frame = await receive_until(alice_socket, "presence")
    assert [user["username"] for user in joined_frame["users"]] == ["alice", "bob"]

    await bob_socket.disconnect()

    left = await receive_until(alice_socket, "presence")
    assert [user["username"] for user in left["users"]] == ["alice"]
    await alice_socket.disconnect()


async def test_a_learner_with_two_tabs_is_announced_once_and_stays_present_when_one_closes(
    room, alice, bob
):
    bob_socket, _ = await joined(room, bob)
    first_tab, _ = await joined(room, alice)
    second_tab, welcome = await joined(room, alice, first_tab=False)
    assert [user["username"] for user in welcome["users"]] == ["alice", "bob"]
    await first_tab.disconnect()
    await second_tab.disconnect()
    # Alice's arrival, then her departure once her last tab closed: nothing for the tabs between.
    arrived = await receive_until(bob_socket, "presence")
    left = await receive_until(bob_socket, "presence")
    assert [user["username"] for user in arrived["users"]] == ["alice", "bob"]
    assert [user["username"] for user in left["users"]] == ["bob"]
    await bob_socket.disconnect()


async def test_a_learner_may_hold_only_so_many_sockets_in_one_room(room, alice, settings):
    settings.ROOM_SOCKETS_PER_LEARNER = 2
    tabs = [(await joined(room, alice, first_tab=n == 0))[0] for n in range(2)]
    third, connected = await connect(room.slug, alice)
    assert connected  # accepted, to be told why it closes
    error = await closed_with(third, 4029)
    assert error["code"] == "too_many_connections"
    await tabs[0].disconnect()
    fourth, _ = await joined(room, alice, first_tab=False)  # a slot came free
    for socket in (tabs[1], fourth):
        await socket.disconnect()


async def test_an_open_socket_cannot_post_after_its_learner_logged_out(room, alice, settings):
    settings.ROOM_WRITE_RECHECK_SECONDS = 0
    socket, _ = await joined(room, alice)
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = alice.cookie
    await sync_to_async(browser.post)(reverse("accounts:logout"))

    await socket.send_json_to({"type": "chat", "body": "after logout", "ref": "m1"})

    error = await closed_with(socket, 4001)
    assert error["code"] == "signed_out"
    assert not await ChatMessage.objects.filter(body="after logout").aexists()


@pytest.mark.parametrize("change", ["deactivated", "deleted", "password"])
async def test_an_open_socket_cannot_edit_once_its_learner_is_disabled(
    room, alice, settings, change
):
    from accounts.services import soft_delete_user

    settings.ROOM_WRITE_RECHECK_SECONDS = 0
    socket, _ = await joined(room, alice)
    user = alice.user
    if change == "deactivated":
        await type(user).objects.filter(pk=user.pk).aupdate(is_active=False)
    elif change == "deleted":
        await sync_to_async(soft_delete_user)(user=user)
    else:
        user.set_password("a-new-long-passphrase")
        await user.asave(update_fields=["password"])

    await socket.send_json_to({"type": "edit", "code": "contract Late {}", "version": 0})

    assert (await closed_with(socket, 4001))["code"] == "signed_out"
    await room.arefresh_from_db()
    assert room.code_version == 0


async def test_an_idle_socket_is_closed_when_its_room_closes(room, alice, settings):
    settings.ROOM_RECHECK_SECONDS = 0.2
    socket, _ = await joined(room, alice)
    await Room.objects.filter(pk=room.pk).aupdate(active=False)

    error = await closed_with(socket, 4004)

    assert error["code"] == "room_closed"


async def test_moderation_in_the_admin_reaches_open_sockets(room, alice, bob):
    from collaboration.services import moderate_messages

    rude = await sync_to_async(ChatMessageFactory)(room=room, body="rude")
    other = await sync_to_async(ChatMessageFactory)(room=room, body="meh")
    bob_socket, _ = await joined(room, bob)

    other.body = "fine"
    await other.asave(update_fields=["body"])
    await sync_to_async(moderate_messages)(
        edited=[other], removed=ChatMessage.objects.filter(pk=rude.pk)
    )

    edited = await receive_until(bob_socket, "edited")
    removed = await receive_until(bob_socket, "removed")
    assert (edited["message"]["id"], edited["message"]["body"]) == (other.pk, "fine")
    assert removed["ids"] == [rude.pk]
    await bob_socket.disconnect()


async def test_a_connection_whose_heartbeats_stopped_ages_out_of_presence(settings):
    store = RedisPresence(settings.REDIS_URL)
    alice = UserFactory.build(pk=1, username="alice")
    bob = UserFactory.build(pk=2, username="bob")
    await store.touch("aging", member(user=alice, channel_name="a"))
    await store.touch("aging", member(user=bob, channel_name="b"))
    client = store._client()
    await client.zadd(store._key("aging"), {member(user=bob, channel_name="b"): 0})

    users, pruned = await store.users("aging")

    assert (users, pruned) == ([{"id": 1, "username": "alice"}], 1)
    assert await client.ttl(store._key("aging")) > 0


async def test_a_message_and_code_saved_through_the_forms_reach_the_live_connections(
    room, alice, bob, settings
):
    bob_socket, _ = await joined(room, bob)
    form_user = Client()
    form_user.cookies[settings.SESSION_COOKIE_NAME] = alice.cookie

    await sync_to_async(form_user.post)(
        reverse("collaboration:post_message", args=[room.slug]), {"body": "from the form"}
    )
    chat = await receive_until(bob_socket, "chat")
    await sync_to_async(form_user.post)(
        reverse("collaboration:save_code", args=[room.slug]),
        {"code": "contract Form {}", "version": 0},
    )
    code = await receive_until(bob_socket, "code")

    assert (chat["message"]["author"], chat["message"]["body"]) == ("alice", "from the form")
    assert code == {"type": "code", "code": "contract Form {}", "version": 1, "by": "alice"}
    await bob_socket.disconnect()
