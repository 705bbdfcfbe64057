"""channels-redis's pub/sub layer, with broadcasts that do not queue behind one another.

Its shard connection publishes under the same asyncio lock that guards its lazy set-up and its
subscriptions, so a process's broadcasts go to Redis one round trip at a time. The Redis client
is safe to share between tasks, and setting it up has no await in it, so publishing needs no
lock. Measured with bench_rooms (500 clients on a loaded machine): chat delivery p50 11.7 s with
the lock, 0.3 s without. Written against channels-redis 4.3 (pyproject.toml keeps it below 5).
"""

import asyncio

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close


class _Shard(RedisSingleShardConnection):
    async def publish(self, channel, message):
        self._ensure_redis()
        await self._redis.publish(channel, message)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


class PubSubChannelLayer(RedisPubSubChannelLayer):
    def _get_layer(self):
        loop = asyncio.get_running_loop()
        if loop not in self._layers:
            self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return self._layers[loop]
