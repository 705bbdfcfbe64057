"""Rooms across real ASGI server processes (uvicorn, started as `make asgi` starts them), joined
only by the Redis channel layer, talking to learners through a real WebSocket client.

The servers use this test run's database (transactional tests, so what a test writes is
committed and they can see it), Redis key prefix and SECRET_KEY, so a session cookie made here
logs a learner in there.
"""

import json
from contextlib import contextmanager

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from collaboration.models import ChatMessage, Room
from tests.collaboration.live import session_cookie, two_servers
from tests.factories import RoomFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("everyone_joins_rooms"),
]


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    logs = tmp_path_factory.mktemp("asgi")
    with two_servers(base_port=18200, logs=logs, django_db_blocker=django_db_blocker) as started:
        yield started


@pytest.fixture
def room(transactional_db):
    return RoomFactory(code="contract V0 {}")


@contextmanager
def joined(server, room, cookie, *, origin=None):
    """An open socket in the room, and the welcome it got."""
    with connect(
        f"{server.ws_url}/ws/rooms/{room.slug}/",
        origin=origin or server.origin,
        additional_headers={"Cookie": f"sessionid={cookie}"} if cookie else None,
        open_timeout=5,
    ) as socket:
        yield socket, receive_until(socket, "welcome")


def send(socket, **frame):
    socket.send(json.dumps(frame))


def receive_until(socket, kind, *, timeout=5):
    while True:
        frame = json.loads(socket.recv(timeout=timeout))
        if frame["type"] == kind:
            return frame


def test_two_learners_on_two_servers_see_each_others_chat_edits_and_presence(servers, room):
    server_a, server_b = servers
    with (
        joined(server_a, room, session_cookie("alice")) as (alice, _),
        joined(server_b, room, session_cookie("bob")) as (bob, welcome),
    ):
        assert [user["username"] for user in welcome["users"]] == ["alice", "bob"]
        arrived = receive_until(alice, "presence")
        while len(arrived["users"]) < 2:  # alice's own arrival may be announced first
            arrived = receive_until(alice, "presence")
        assert [user["username"] for user in arrived["users"]] == ["alice", "bob"]

        send(alice, type="chat", body="gm from a", ref="a1")
        assert receive_until(bob, "chat")["message"]["body"] == "gm from a"

        send(bob, type="edit", code="contract FromB {}", version=0)
        assert receive_until(bob, "saved")["version"] == 1
        code = receive_until(alice, "code")
        assert (code["code"], code["version"], code["by"]) == ("contract FromB {}", 1, "bob")

    room.refresh_from_db()
    assert (room.code, room.code_version) == ("contract FromB {}", 1)
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["gm from a"]


def test_a_stale_edit_on_one_server_is_rejected_after_an_edit_on_the_other(servers, room):
    server_a, server_b = servers
    with (
        joined(server_a, room, session_cookie("alice")) as (alice, _),
        joined(server_b, room, session_cookie("bob")) as (bob, _),
    ):
        send(alice, type="edit", code="contract Alice {}", version=0)
        assert receive_until(alice, "saved")["version"] == 1

        send(bob, type="edit", code="contract Bob {}", version=0, ref="b1")

        stale = receive_until(bob, "stale")
        assert stale == {"type": "stale", "ref": "b1", "code": "contract Alice {}", "version": 1}
    assert Room.objects.get(pk=room.pk).code == "contract Alice {}"


def test_an_acknowledged_message_survives_its_server_being_killed_at_once(servers, room):
    server_a, _ = servers
    cookie = session_cookie("alice")
    with joined(server_a, room, cookie) as (alice, _):
        send(alice, type="chat", body="do not lose me", ref="keep")
        ack = receive_until(alice, "ack")
        server_a.kill()
    server_a.start()

    with joined(server_a, room, cookie) as (_, welcome):
        assert [message["id"] for message in welcome["messages"]] == [ack["id"]]
        assert welcome["messages"][0]["body"] == "do not lose me"
    assert ChatMessage.objects.get().body == "do not lose me"


def test_an_anonymous_visitor_or_a_foreign_page_is_refused_at_the_handshake(servers, room):
    server_a, _ = servers
    with pytest.raises(InvalidStatus) as anonymous, joined(server_a, room, None):
        pass
    assert anonymous.value.response.status_code == 403
    cookie = session_cookie("alice")
    with (
        pytest.raises(InvalidStatus) as foreign,
        joined(server_a, room, cookie, origin="https://evil.example"),
    ):
        pass
    assert foreign.value.response.status_code == 403


def test_an_oversized_frame_gets_an_error_and_a_huge_one_closes_the_socket(servers, room):
    server_a, _ = servers
    with joined(server_a, room, session_cookie("alice")) as (alice, _):
        send(alice, type="chat", body="x" * 300_000)
        assert receive_until(alice, "error")["code"] == "too_large"
        send(alice, type="ping", ref="open")
        assert receive_until(alice, "pong")["ref"] == "open"

        # The server closes as soon as the frame's header names its size, so the
        # close may reach the client while it is still writing the frame.
        with pytest.raises(ConnectionClosed) as closed:
            send(alice, type="chat", body="x" * 2_000_000)
            receive_until(alice, "error")
    assert closed.value.rcvd.code == 1009  # message too big: never buffered whole
    assert not ChatMessage.objects.exists()
