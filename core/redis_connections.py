"""Redis connections outside the cache backend (presence, the rooms' broadcasts), the same way
the cache reaches Redis: a plain URL, or a Sentinel-monitored primary when REDIS_SENTINELS is set.

With Sentinel, REDIS_URL names the primary's service instead of a host (redis://<name>/<db>):
every client asks the sentinels where the primary is now, and asks again after a failover.
"""

from urllib.parse import urlsplit

from django.conf import settings


def sentinel_hosts() -> list[tuple[str, int]]:
    return settings.REDIS_SENTINEL_HOSTS


def _service_and_db(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return parts.hostname, int(path) if path.isdigit() else 0


def async_pool(url: str, *, max_connections: int, **options):
    """A blocking redis.asyncio connection pool for `url`, Sentinel-aware."""
    from redis.asyncio import BlockingConnectionPool

    if not settings.REDIS_SENTINELS:
        return BlockingConnectionPool.from_url(url, max_connections=max_connections, **options)
    from redis.asyncio.sentinel import Sentinel, SentinelConnectionPool

    service, db = _service_and_db(url)

    class BlockingSentinelPool(SentinelConnectionPool, BlockingConnectionPool):
        pass

    return BlockingSentinelPool(
        service,
        Sentinel(sentinel_hosts(), socket_timeout=1),
        db=db,
        max_connections=max_connections,
        **options,
    )
