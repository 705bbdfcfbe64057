"""Telling a room's live connections, on every ASGI process, that something changed.

The writes announce themselves (collaboration/services.py, once committed), whether they came
over a socket or through the forms (a learner on the polling fallback, or without JavaScript),
so that learners on the socket, who no longer poll, see both.
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from collaboration.frames import message_frame

logger = logging.getLogger(__name__)


def group_name(room_slug: str) -> str:
    return f"room.{room_slug}"


def event(frame: dict, *, skip: str = "") -> dict:
    """A channel layer event carrying `frame`, serialised once for every recipient; `skip` is
    the channel name of a connection that must not get it (its sender, already answered)."""
    return {"type": "room.frame", "text": json.dumps(frame), "skip": skip}


def announce_message(message, *, skip: str = "") -> None:
    frame = {"type": "chat", "message": message_frame(message)}
    _send_from_sync(message.room.slug, frame, skip=skip)


def announce_code(room, *, code: str, version: int, by: str, skip: str = "") -> None:
    frame = {"type": "code", "code": code, "version": version, "by": by}
    _send_from_sync(room.slug, frame, skip=skip)


def announce_moderation(*, edited, removed) -> None:
    """Moderated messages: `edited` messages (with their rooms), `removed` (id, room slug)."""
    for message in edited:
        _send_from_sync(message.room.slug, {"type": "edited", "message": message_frame(message)})
    by_room = {}
    for message_id, room_slug in removed:
        by_room.setdefault(room_slug, []).append(message_id)
    for room_slug, ids in by_room.items():
        _send_from_sync(room_slug, {"type": "removed", "ids": sorted(ids)})


def _send_from_sync(room_slug, frame, *, skip=""):
    layer = get_channel_layer()
    # The Redis layer publishes straight from this thread; others (in memory) need a loop.
    send = getattr(layer, "group_send_sync", None) or async_to_sync(layer.group_send)
    try:
        send(group_name(room_slug), event(frame, skip=skip))
    except Exception:
        # What was saved stays saved; live learners see it on their next reload or reconnect.
        logger.exception("could not announce a change to room %s", room_slug)
