"""The edge cache's answers, read from nginx's access log (METRICS_EDGE_LOG), where the app
never sees them: a hit is served by nginx alone.

nginx logs `cache=$upstream_cache_status` on every proxied request (deploy/nginx.conf; static
files are not logged). One process at a time (a Redis lock) reads what was appended since the
offset kept in Redis and adds it to the cluster-wide totals, so every instance reports the same
figures and no line is counted twice. A rotated log (a new inode, or shorter than the offset) is
read from its start.
"""

import logging
import os
import re
import time

from django.conf import settings

logger = logging.getLogger(__name__)

READ_AT_MOST_BYTES = 8 * 1024 * 1024
HITS = ("HIT", "STALE", "UPDATING", "REVALIDATED")
MISSES = ("MISS", "EXPIRED", "BYPASS")
_STATUS = re.compile(rb"cache=(\S*)\s*$")


def _key(name):
    return f"{settings.CACHE_KEY_PREFIX}:ops:edge:{name}"


def ingest() -> dict[str, int]:
    """Reads the log's new lines into the totals and the current time-series bucket; returns
    their counts by cache status ({} without a log, or while another process reads it)."""
    path = settings.METRICS_EDGE_LOG
    if not path:
        return {}
    from operations.series import store

    client = store()
    if not client.set(_key("lock"), 1, nx=True, ex=10):
        return {}
    try:
        try:
            stat = os.stat(path)
        except OSError:
            return {}
        state = client.hgetall(_key("state"))
        offset = int(state.get(b"offset", state.get("offset", 0)) or 0)
        inode = int(state.get(b"inode", state.get("inode", 0)) or 0)
        if inode != stat.st_ino or stat.st_size < offset:
            offset = 0
        with open(path, "rb") as log:
            log.seek(offset)
            chunk = log.read(READ_AT_MOST_BYTES)
        complete = chunk.rfind(b"\n") + 1  # a line still being written waits for next time
        counts = {}
        for line in chunk[:complete].splitlines():
            found = _STATUS.search(line)
            if found:
                status = found.group(1).decode(errors="replace").replace("-", "") or "NONE"
                counts[status] = counts.get(status, 0) + 1
        from operations.series import KEEP_SECONDS, bucket_of
        from operations.series import _key as series_key

        bucket = series_key(f"ts:{bucket_of(time.time())}")
        pipe = client.pipeline(transaction=False)
        pipe.hset(_key("state"), mapping={"offset": offset + complete, "inode": stat.st_ino})
        for status, count in counts.items():
            pipe.hincrby(_key("totals"), status, count)
            pipe.hincrbyfloat(bucket, f"edge:{status}", count)
        pipe.expire(bucket, KEEP_SECONDS)
        pipe.execute()
        return counts
    except Exception:
        logger.warning("edge log not read", exc_info=True)
        return {}
    finally:
        client.delete(_key("lock"))


def totals() -> dict[str, int]:
    """Every cache status nginx logged since the counts began, every instance included."""
    if not settings.METRICS_EDGE_LOG:
        return {}
    from operations.series import store

    try:
        stored = store().hgetall(_key("totals"))
    except Exception:
        return {}
    return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in stored.items()}
