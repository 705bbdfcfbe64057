"""Who is in a room: one Redis sorted set per room, one member per connection, scored by the
time of its last heartbeat.

A connection counts as present while its heartbeat is younger than TTL_SECONDS; its consumer
refreshes it every REFRESH_SECONDS while the socket is open. When an ASGI process dies no
disconnect handler runs, so its entries simply age out (and the next heartbeat in that room that
prunes them announces the change). The key expires too, so an abandoned room leaves nothing.
Members are connections, not learners: closing one of two tabs keeps a learner present.

Without Redis (make run: one process) the same bookkeeping lives in this process's memory.
"""

import json
import time
import weakref
from asyncio import get_running_loop

from django.conf import settings
from django.core.cache import cache

REFRESH_SECONDS = 20
TTL_SECONDS = 60


def member(*, user, channel_name: str) -> str:
    return json.dumps([user.pk, user.username, channel_name])


def _connections_of(members, user_id) -> int:
    return sum(1 for raw in members if json.loads(raw)[0] == user_id)


def _users(members) -> list[dict]:
    seen = {}
    for raw in members:
        user_id, username, _ = json.loads(raw)
        seen[user_id] = username
    return [{"id": pk, "username": name} for pk, name in sorted(seen.items(), key=lambda u: u[1])]


class RedisPresence:
    def __init__(self, url: str):
        self.url = url
        # redis.asyncio clients belong to the event loop that made them.
        self._clients = weakref.WeakKeyDictionary()

    def _client(self):
        from redis.asyncio import Redis

        from core.redis_connections import async_pool

        loop = get_running_loop()
        if loop not in self._clients:
            # Blocking: when hundreds of sockets close at once (a restart), their leave() calls
            # wait for one of a few connections instead of failing past the pool's limit.
            pool = async_pool(
                self.url, max_connections=16, timeout=5, socket_connect_timeout=1, socket_timeout=1
            )
            self._clients[loop] = Redis(connection_pool=pool)
        return self._clients[loop]

    @staticmethod
    def _key(room_slug: str) -> str:
        # Inside the cache's key prefix, so each test run (and each site) has its own.
        return cache.make_key(f"presence:{room_slug}")

    async def touch(self, room_slug: str, member: str) -> None:
        key = self._key(room_slug)
        async with self._client().pipeline(transaction=False) as pipe:
            pipe.zadd(key, {member: time.time()})
            pipe.expire(key, TTL_SECONDS * 2)
            await pipe.execute()

    async def leave(self, room_slug: str, member: str) -> None:
        await self._client().zrem(self._key(room_slug), member)

    async def users(self, room_slug: str) -> tuple[list[dict], int]:
        """Who is present, and how many expired connections this call pruned."""
        key = self._key(room_slug)
        async with self._client().pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(key, "-inf", time.time() - TTL_SECONDS)
            pipe.zrange(key, 0, -1)
            pruned, members = await pipe.execute()
        return _users(members), pruned

    async def connections_of(self, room_slug: str, user_id: int) -> int:
        """How many live connections this learner has in the room (this one included)."""
        key = self._key(room_slug)
        members = await self._client().zrangebyscore(key, time.time() - TTL_SECONDS, "+inf")
        return _connections_of(members, user_id)


class MemoryPresence:
    def __init__(self):
        self._rooms: dict[str, dict[str, float]] = {}

    async def touch(self, room_slug: str, member: str) -> None:
        self._rooms.setdefault(room_slug, {})[member] = time.time()

    async def leave(self, room_slug: str, member: str) -> None:
        self._rooms.get(room_slug, {}).pop(member, None)

    async def users(self, room_slug: str) -> tuple[list[dict], int]:
        room = self._rooms.get(room_slug, {})
        cutoff = time.time() - TTL_SECONDS
        expired = [member for member, seen in room.items() if seen < cutoff]
        for member in expired:
            del room[member]
        return _users(room), len(expired)

    async def connections_of(self, room_slug: str, user_id: int) -> int:
        cutoff = time.time() - TTL_SECONDS
        live = [m for m, seen in self._rooms.get(room_slug, {}).items() if seen >= cutoff]
        return _connections_of(live, user_id)


_presence = None


def presence():
    global _presence
    if _presence is None:
        _presence = RedisPresence(settings.REDIS_URL) if settings.REDIS_URL else MemoryPresence()
    return _presence
