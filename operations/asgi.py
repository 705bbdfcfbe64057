"""Counts the open WebSockets and the rooms they are in, for this ASGI process.

Wraps the WebSocket application in config/asgi.py: a socket counts from its connection scope's
start to its end, whatever the consumer does, and the room is read from the path
(/ws/rooms/<room>/), so nothing here knows the rooms' code.
"""

import re
import threading
from collections import Counter

from operations import instruments

_ROOM = re.compile(r"^/ws/rooms/([^/]+)/")
_lock = threading.Lock()
_rooms = Counter()
_open = 0


def open_sockets() -> int:
    return _open


def open_rooms() -> list[str]:
    with _lock:
        return [room for room, count in _rooms.items() if count > 0]


def _changed(room, delta):
    global _open
    with _lock:
        _open += delta
        if room:
            _rooms[room] += delta
            if _rooms[room] <= 0:
                del _rooms[room]
        count, rooms = _open, len(_rooms)
    instruments.WEBSOCKETS.set(count)
    instruments.ROOMS.set(rooms)


class CountedWebSockets:
    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.application(scope, receive, send)
        found = _ROOM.match(scope.get("path", ""))
        room = found.group(1) if found else ""
        _changed(room, 1)
        try:
            return await self.application(scope, receive, send)
        finally:
            _changed(room, -1)
