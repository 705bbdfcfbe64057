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

logger = logging.getLogger(__name__)

RESULT_FORMAT = 1  # bump when the stored result's shape changes
HITS_KEY = "compile:stats:hits"
MISSES_KEY = "compile:stats:misses"


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
    _count(HITS_KEY if stored is not None else MISSES_KEY)
    return stored


def store_result(standard_input: dict, version: str, result: dict) -> None:
    try:
        cache.set(result_key(standard_input, version), result, settings.COMPILER_CACHE_SECONDS)
    except Exception:
        logger.warning("compile cache unavailable: result not stored", exc_info=True)


def hit_counts() -> tuple[int, int]:
    """(hits, misses) since the counters were created (they never expire)."""
    try:
        counts = cache.get_many([HITS_KEY, MISSES_KEY])
    except Exception:
        logger.warning("compile cache unavailable: no hit counts", exc_info=True)
        return 0, 0
    return counts.get(HITS_KEY, 0), counts.get(MISSES_KEY, 0)


def _count(key):
    try:
        try:
            cache.incr(key)
        except ValueError:  # the first count: create it without an expiry
            cache.add(key, 0, timeout=None)
            cache.incr(key)
    except Exception:
        logger.warning("compile cache unavailable: %s not counted", key, exc_info=True)
