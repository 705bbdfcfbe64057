"""A room over a WebSocket (/ws/rooms/<room>/); the protocol is in collaboration/frames.py.

Every connection joins its room's group on the channel layer (Redis: shared by every ASGI
process). Writes go through the same services as the HTTP views and reach the database before
anyone hears of them: a chat message is acknowledged and broadcast only once it is committed, and
an edit is accepted only if its base version is still the room's (services.save_code does the
compare-and-set, so concurrent editors on different processes are serialised by PostgreSQL).
"""

import asyncio
import json
import logging
import random
import time

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from redis.exceptions import RedisError

from collaboration import frames
from collaboration.broadcast import event, group_name
from collaboration.chat import latest_messages
from collaboration.frames import Chat, Edit, FrameError, Ping, TokenBucket
from collaboration.models import Room
from collaboration.presence import REFRESH_SECONDS, member, presence
from collaboration.services import save_code
from collaboration.writer import chat_writer, in_database_thread

logger = logging.getLogger(__name__)

# Writes a connection may have waiting: a few seconds' worth at the rate limits.
WRITE_BACKLOG = 8

# Close codes (4000-4999 are the application's): the client stops reconnecting on these.
CLOSE_SIGNED_OUT = 4001  # logged out, password changed, account deactivated or deleted
CLOSE_ROOM_CLOSED = 4004
CLOSE_TOO_MANY = 4029  # this learner has ROOM_SOCKETS_PER_LEARNER sockets in the room already
ENDINGS = {
    "signed_out": (CLOSE_SIGNED_OUT, "You are signed out: sign in again to take part."),
    "room_closed": (CLOSE_ROOM_CLOSED, "This room has been closed."),
}


@in_database_thread
def _active_room(slug):
    return Room.objects.active().filter(slug=slug).only("pk", "slug").first()


@in_database_thread
def _room_state(room):
    code, version = Room.objects.filter(pk=room.pk).values_list("code", "code_version").get()
    history = latest_messages(room)
    return code, version, [frames.message_frame(message) for message in history]


@in_database_thread
def _current_code(room):
    return Room.objects.filter(pk=room.pk).values_list("code", "code_version").get()


_save_code = in_database_thread(save_code)


@in_database_thread
def _why_not_allowed(*, session_key, auth_hash, user_id, room_pk) -> str | None:
    """None while this connection may go on; else why not, as a key of ENDINGS. The database is
    the authority (a cached session may outlive its logout): the session row, the learner
    (active, not deleted, the same session auth hash as at sign-in) and the room."""
    if not Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists():
        return "signed_out"
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if (
        user is None
        or user.deleted_at is not None
        or not constant_time_compare(user.get_session_auth_hash(), auth_hash or "")
    ):
        return "signed_out"
    if not Room.objects.active().filter(pk=room_pk).exists():
        return "room_closed"
    return None


class RoomConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message):
        # Channels' own dispatch first hops to the sync thread to close stale database
        # connections, for every frame and every broadcast delivered. This consumer reaches the
        # database only through collaboration.writer's threads, which do that around each call.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.room, self.tasks = None, []
        user = self.scope["user"]
        if user.is_authenticated:
            self.room = await _active_room(self.scope["url_route"]["kwargs"]["room"])
        if self.room is None:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        self.user = user
        session = self.scope["session"]
        self.session_key, self.auth_hash = session.session_key, session.get(HASH_SESSION_KEY)
        self.checked_at = time.monotonic()
        self.group = group_name(self.room.slug)
        self.member = member(user=user, channel_name=self.channel_name)
        self.budgets = {
            "frame": TokenBucket(burst=40, per_second=10),
            Chat: TokenBucket(burst=5, per_second=1),
            Edit: TokenBucket(burst=10, per_second=5),
        }
        self.writes = asyncio.Queue(maxsize=WRITE_BACKLOG)
        await self.accept()
        users, mine = await self._touch_presence()
        if mine > settings.ROOM_SOCKETS_PER_LEARNER:
            await self._leave_presence()
            await self._send_frame(
                {
                    "type": "error",
                    "code": "too_many_connections",
                    "message": f"You have this room open {mine - 1} times already: "
                    "close one of them to join here.",
                    "ref": None,
                }
            )
            self.room = None  # nothing joined: disconnect() has nothing to undo
            await self.close(code=CLOSE_TOO_MANY)
            return
        # Joined before the state is read: whatever changes in between arrives after the welcome,
        # and the client keeps only newer versions and unseen message ids.
        await self.channel_layer.group_add(self.group, self.channel_name)
        code, version, messages = await _room_state(self.room)
        await self._send_frame(
            {
                "type": "welcome",
                "me": user.username,
                "code": code,
                "version": version,
                "messages": messages,
                "users": users,
            }
        )
        if mine == 1:  # another tab of a learner already here changes nobody's list
            await self._broadcast({"type": "presence", "users": users})
        self.tasks = [
            asyncio.create_task(self._write()),
            asyncio.create_task(self._keep_present()),
            asyncio.create_task(self._keep_checking()),
        ]

    async def disconnect(self, code):
        if self.room is None:
            return
        for task in self.tasks:
            task.cancel()  # a write already in PostgreSQL's hands still commits, unacknowledged
        await self.channel_layer.group_discard(self.group, self.channel_name)
        users = await self._leave_presence()
        if users is not None and self.user.pk not in {user["id"] for user in users}:
            await self._broadcast({"type": "presence", "users": users})

    async def _leave_presence(self):
        """Who is left once this connection has gone; None when presence is unavailable."""
        try:
            await presence().leave(self.room.slug, self.member)
            users, _ = await presence().users(self.room.slug)
        except (RedisError, OSError):
            logger.warning("presence unavailable: %s left %s unannounced", self.user, self.group)
            return None
        return users

    async def _end_if_no_longer_allowed(self) -> bool:
        """Checks the session, the learner and the room again; closes the socket with a clear
        code and says why when one of them has gone. True when it closed."""
        self.checked_at = time.monotonic()
        try:
            why = await _why_not_allowed(
                session_key=self.session_key,
                auth_hash=self.auth_hash,
                user_id=self.user.pk,
                room_pk=self.room.pk,
            )
        except DatabaseError:
            logger.warning("could not re-check a connection in %s", self.group)
            return False  # PostgreSQL down: writes fail on their own, reads may go on
        if why is None:
            return False
        code, message = ENDINGS[why]
        await self._send_frame({"type": "error", "code": why, "message": message, "ref": None})
        await self.close(code=code)
        return True

    async def _keep_checking(self):
        """A bounded schedule for idle connections; writes check on their own (`_write`)."""
        while True:
            await asyncio.sleep(settings.ROOM_RECHECK_SECONDS * random.uniform(0.8, 1.2))
            if await self._end_if_no_longer_allowed():
                return

    async def receive(self, text_data=None, bytes_data=None):
        try:
            if not self.budgets["frame"].take():
                raise FrameError("rate_limited", "Too many frames: slow down.")
            command = frames.parse(text_data, bytes_data)
            budget = self.budgets.get(type(command))
            if budget is not None and not budget.take():
                raise FrameError("rate_limited", "Too many at once: slow down.", ref=command.ref)
            if isinstance(command, Ping):
                await self._send_frame({"type": "pong", "ref": command.ref})
            elif self.writes.full():
                # The server is behind: say so now rather than acknowledge ever later.
                raise FrameError("busy", "The room is busy: try again.", ref=command.ref)
            else:
                self.writes.put_nowait(command)
        except FrameError as error:
            await self._send_frame(error.frame())

    async def _write(self):
        """Saves this connection's messages and edits one at a time, in the order sent, off the
        dispatch loop: broadcasts keep reaching this socket while a write waits for PostgreSQL
        (written inline, every delivery queued behind the learner's own commits)."""
        while True:
            command = await self.writes.get()
            due = time.monotonic() - self.checked_at >= settings.ROOM_WRITE_RECHECK_SECONDS
            if due and await self._end_if_no_longer_allowed():
                return
            try:
                if isinstance(command, Chat):
                    await self._chat(command)
                else:
                    await self._edit(command)
            except FrameError as error:
                await self._send_frame(error.frame())
            except Exception:  # one failed broadcast must not stop this connection's writes
                logger.exception("a write in %s failed", self.group)

    async def _chat(self, command):
        try:
            message = await chat_writer().post(
                room=self.room, author=self.user, body=command.body, skip=self.channel_name
            )
        except Exception:  # logged by the writer; the sender may try again
            raise FrameError("unavailable", "Not sent: try again.", ref=command.ref) from None
        # The ack carries the message to its sender; the service's announcement skips it.
        saved = frames.message_frame(message)
        ack = {"type": "ack", "ref": command.ref, "id": message.pk, "message": saved}
        await self._send_frame(ack)

    async def _edit(self, command):
        try:
            version = await _save_code(
                room=self.room,
                editor=self.user,
                code=command.code,
                base_version=command.version,
                skip=self.channel_name,
            )
            if version is None:
                code, current = await _current_code(self.room)
        except PermissionDenied:
            raise FrameError(
                "forbidden", "Join the room to edit its code.", ref=command.ref
            ) from None
        except DatabaseError:
            logger.exception("edit in %s not saved", self.group)
            raise FrameError("unavailable", "Not saved: try again.", ref=command.ref) from None
        if version is None:
            await self._send_frame(
                {"type": "stale", "ref": command.ref, "code": code, "version": current}
            )
            return
        await self._send_frame({"type": "saved", "ref": command.ref, "version": version})

    async def _touch_presence(self):
        """Who is here with this connection counted, and how many of this learner's."""
        try:
            await presence().touch(self.room.slug, self.member)
            users, _ = await presence().users(self.room.slug)
            mine = await presence().connections_of(self.room.slug, self.user.pk)
        except (RedisError, OSError):
            logger.warning("presence unavailable in %s", self.group)
            return [{"id": self.user.pk, "username": self.user.username}], 1
        return users, mine

    async def _keep_present(self):
        # Jittered, so connections opened together do not all refresh together.
        await asyncio.sleep(random.uniform(0, REFRESH_SECONDS))
        while True:
            try:
                await presence().touch(self.room.slug, self.member)
                users, pruned = await presence().users(self.room.slug)
                if pruned:
                    await self._broadcast({"type": "presence", "users": users})
            except (RedisError, OSError):
                logger.warning("presence heartbeat failed in %s", self.group)
            await asyncio.sleep(REFRESH_SECONDS)

    async def _send_frame(self, frame):
        await self.send(text_data=json.dumps(frame))

    async def _broadcast(self, frame, *, skip_self=False):
        skip = self.channel_name if skip_self else ""
        await self.channel_layer.group_send(self.group, event(frame, skip=skip))

    async def room_frame(self, event):
        if event["skip"] != self.channel_name:
            await self.send(text_data=event["text"])
