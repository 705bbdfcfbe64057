"""channels-redis's pub/sub layer, with a process's broadcasts sent to Redis together.

Its shard connection publishes under the asyncio lock that guards its lazy set-up and its
subscriptions, so a process's broadcasts go to Redis one round trip at a time, and a busy
process's chat falls seconds behind. Publishing without the lock would open a Redis connection
per broadcast in flight, past the pool's limit (MaxConnectionsError, broadcasts lost). Here the
broadcasts that arrive while one pipeline is on its way to Redis go in the next, in order: one
connection, one round trip for many.
Written against channels-redis 4.3 (pyproject.toml keeps it below 5).
"""

import asyncio
import threading

import redis
from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _consistent_hash, _wrap_close, decode_hosts


class _Shard(RedisSingleShardConnection):
    def __init__(self, host, channel_layer):
        super().__init__(host, channel_layer)
        self._outbox = []
        self._sending = None

    async def publish(self, channel, message):
        self._ensure_redis()
        sent = asyncio.get_running_loop().create_future()
        self._outbox.append((channel, message, sent))
        if self._sending is None or self._sending.done():
            self._sending = asyncio.create_task(self._send_outbox())
        await sent

    async def _send_outbox(self):
        while self._outbox:
            batch, self._outbox = self._outbox, []
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for channel, message, _ in batch:
                        pipe.publish(channel, message)
                    await pipe.execute()
            except Exception as error:  # every waiting sender's failure, never the sender task's
                for *_, sent in batch:
                    if not sent.done():
                        sent.set_exception(error)
            else:
                for *_, sent in batch:
                    if not sent.done():
                        sent.set_result(None)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


def _sync_client_for(host: dict):
    if "address" in host:
        return redis.Redis.from_url(host["address"])
    if "master_name" in host:  # a Sentinel-monitored primary (core.redis_connections)
        from redis.sentinel import Sentinel

        options = {k: v for k, v in host.items() if k not in ("sentinels", "master_name")}
        sentinel = Sentinel(host["sentinels"], socket_timeout=1)
        return sentinel.master_for(host["master_name"], **options)
    return redis.Redis(**host)


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """The layer, plus `group_send_sync` for the WSGI views' broadcasts."""

    _sync_lock = threading.Lock()

    def group_send_sync(self, group, message):
        """What `group_send` publishes, from synchronous code, with a plain Redis client.

        `async_to_sync(group_send)` in a gunicorn worker starts an event loop, a layer and a
        Redis connection for every call, for every chat message posted through the form; one
        PUBLISH on a pooled connection costs a small part of that.
        """
        # As RedisPubSubLoopLayer names and shards a group's channel (channels-redis 4.3).
        channel = f"{self._kwargs.get('prefix', 'asgi')}__group__{group}"
        hosts = decode_hosts(self._kwargs.get("hosts"))
        client = self._sync_client(hosts[_consistent_hash(channel, len(hosts))])
        client.publish(channel, self.serialize(message))

    def _sync_client(self, host):
        key = repr(sorted(host.items()))
        clients = self.__dict__.setdefault("_sync_clients", {})
        if key not in clients:
            with self._sync_lock:
                if key not in clients:
                    clients[key] = _sync_client_for(host)
        return clients[key]

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        if loop not in self._layers:
            self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return self._layers[loop]
