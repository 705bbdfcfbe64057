"""Compile results in the Django cache (Redis): their key, timeout and invalidation, all here.

Key: content-addressed, a SHA-256 of the standard-JSON input (the source and every setting), the
solc version and RESULT_FORMAT. The same key always means the same output, so no write ever has to
invalidate anything: a new compiler version or a new result format makes new keys, and old entries
age out after COMPILER_CACHE_SECONDS. Only what the source decides is stored; timeouts, crashes and
a busy pool depend on the moment and are never cached.

A cache outage costs compile time, never a failed compile: errors are logged and read as a miss.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache

from core import stats

logger = logging.getLogger(__name__)

RESULT_FORMAT = 1  # bump when the stored result's shape changes
# Hits and misses are counted with the cache groups' (core.stats), so cache_stats, /ready and
# /metrics show the compile cache beside the others.
STATS_GROUP = "compile"


def result_key(standard_input: dict, version: str) -> str:
    material = json.dumps(
        [RESULT_FORMAT, version, standard_input], sort_keys=True, separators=(",", ":")
    )
    return f"compile:{version}:{hashlib.sha256(material.encode()).hexdigest()}"


def get_result(standard_input: dict, version: str) -> dict | None:
    try:
        stored = cache.get(result_key(standard_input, version))
    except Exception:
        logger.warning("compile cache unavailable: reading as a miss", exc_info=True)
        return None
    stats.record_cache(STATS_GROUP, hit=stored is not None)
    return stored


def store_result(standard_input: dict, version: str, result: dict) -> None:
    try:
        cache.set(result_key(standard_input, version), result, settings.COMPILER_CACHE_SECONDS)
    except Exception:
        logger.warning("compile cache unavailable: result not stored", exc_info=True)


def hit_counts() -> tuple[int, int]:
    """(hits, misses) counted by every process since the counters were last reset."""
    try:
        row = stats.cache_report().get(STATS_GROUP)
    except Exception:
        logger.warning("compile cache unavailable: no hit counts", exc_info=True)
        return 0, 0
    return (row["hits"], row["misses"]) if row else (0, 0)
