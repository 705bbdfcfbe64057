"""A room over a WebSocket (/ws/rooms/<room>/); the protocol is in collaboration/frames.py.

Every connection joins its room's group on the channel layer (Redis: shared by every ASGI
process). Writes go through the same services as the HTTP views and reach the database before
anyone hears of them: a chat message is acknowledged and broadcast only once it is committed, and
an edit is accepted only if its base version is still the room's (services.save_code does the
compare-and-set, so concurrent editors on different processes are serialised by PostgreSQL).
"""

import asyncio
import functools
import json
import logging
import random
from concurrent.futures import ThreadPoolExecutor

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from redis.exceptions import RedisError

from collaboration import frames
from collaboration.frames import Chat, Edit, FrameError, Ping, TokenBucket
from collaboration.models import ChatMessage, Room
from collaboration.presence import REFRESH_SECONDS, member, presence
from collaboration.services import post_message, save_code
from collaboration.views import MESSAGES_SHOWN

logger = logging.getLogger(__name__)


def group_name(room_slug: str) -> str:
    return f"room.{room_slug}"


# Database calls run on a few threads of their own rather than on asgiref's one shared thread:
# each spends most of its time waiting for PostgreSQL (commits above all), and one thread would
# queue every connection's writes behind each other. As many threads as pooled connections.
_database_threads = ThreadPoolExecutor(
    max_workers=settings.ROOM_DATABASE_THREADS, thread_name_prefix="room-db"
)


def _in_database_thread(function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        # Again inside the call: database_sync_to_async's own cleanup around it was seen (in the
        # tests) to leave the connection the call used open in its thread, out of the pool.
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return database_sync_to_async(call, thread_sensitive=False, executor=_database_threads)


@_in_database_thread
def _active_room(slug):
    return Room.objects.active().filter(slug=slug).only("pk", "slug").first()


@_in_database_thread
def _room_state(room):
    code, version = Room.objects.filter(pk=room.pk).values_list("code", "code_version").get()
    history = ChatMessage.objects.latest_in(room, limit=MESSAGES_SHOWN)
    return code, version, [frames.message_frame(message) for message in history]


@_in_database_thread
def _current_code(room):
    return Room.objects.filter(pk=room.pk).values_list("code", "code_version").get()


_post_message = _in_database_thread(post_message)
_save_code = _in_database_thread(save_code)


class RoomConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message):
        # Channels' own dispatch first hops to the sync thread to close stale database
        # connections, for every frame and every broadcast delivered. This consumer reaches the
        # database only through _in_database_thread, which does that around each call itself.
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
        self.group = group_name(self.room.slug)
        self.member = member(user=user, channel_name=self.channel_name)
        self.budgets = {
            "frame": TokenBucket(burst=40, per_second=10),
            Chat: TokenBucket(burst=5, per_second=1),
            Edit: TokenBucket(burst=10, per_second=5),
        }
        self.writes = asyncio.Queue()
        await self.accept()
        # Joined before the state is read: whatever changes in between arrives after the welcome,
        # and the client keeps only newer versions and unseen message ids.
        await self.channel_layer.group_add(self.group, self.channel_name)
        code, version, messages = await _room_state(self.room)
        users = await self._touch_presence()
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
        await self._broadcast({"type": "presence", "users": users})
        self.tasks = [asyncio.create_task(self._write()), asyncio.create_task(self._keep_present())]

    async def disconnect(self, code):
        if self.room is None:
            return
        for task in self.tasks:
            task.cancel()  # a write already in PostgreSQL's hands still commits, unacknowledged
        await self.channel_layer.group_discard(self.group, self.channel_name)
        try:
            await presence().leave(self.room.slug, self.member)
            users, _ = await presence().users(self.room.slug)
        except (RedisError, OSError):
            logger.warning("presence unavailable: %s left %s unannounced", self.user, self.group)
            return
        await self._broadcast({"type": "presence", "users": users})

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
            else:
                self.writes.put_nowait(command)  # never full: the budgets refuse first
        except FrameError as error:
            await self._send_frame(error.frame())

    async def _write(self):
        """Saves this connection's messages and edits one at a time, in the order sent, off the
        dispatch loop: broadcasts keep reaching this socket while a write waits for PostgreSQL
        (written inline, every delivery queued behind the learner's own commits)."""
        while True:
            command = await self.writes.get()
            try:
                if isinstance(command, Chat):
                    await self._chat(command)
                else:
                    await self._edit(command)
            except FrameError as error:
                await self._send_frame(error.frame())

    async def _chat(self, command):
        try:
            message = await _post_message(room=self.room, author=self.user, body=command.body)
        except DatabaseError:
            logger.exception("chat message in %s not saved", self.group)
            raise FrameError("unavailable", "Not sent: try again.", ref=command.ref) from None
        await self._send_frame({"type": "ack", "ref": command.ref, "id": message.pk})
        await self._broadcast({"type": "chat", "message": frames.message_frame(message)})

    async def _edit(self, command):
        try:
            saved = await _save_code(
                room=self.room, code=command.code, base_version=command.version
            )
            if not saved:
                code, version = await _current_code(self.room)
        except DatabaseError:
            logger.exception("edit in %s not saved", self.group)
            raise FrameError("unavailable", "Not saved: try again.", ref=command.ref) from None
        if not saved:
            await self._send_frame(
                {"type": "stale", "ref": command.ref, "code": code, "version": version}
            )
            return
        version = command.version + 1
        await self._send_frame({"type": "saved", "ref": command.ref, "version": version})
        frame = {"type": "code", "code": command.code, "version": version, "by": self.user.username}
        await self._broadcast(frame, skip_self=True)

    async def _touch_presence(self):
        try:
            await presence().touch(self.room.slug, self.member)
            users, _ = await presence().users(self.room.slug)
        except (RedisError, OSError):
            logger.warning("presence unavailable in %s", self.group)
            return [{"id": self.user.pk, "username": self.user.username}]
        return users

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
        # Serialised once here rather than once per recipient.
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "room.frame",
                "text": json.dumps(frame),
                "skip": self.channel_name if skip_self else "",
            },
        )

    async def room_frame(self, event):
        if event["skip"] != self.channel_name:
            await self.send(text_data=event["text"])
