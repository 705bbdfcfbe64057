"""Per-request query monitoring: count, database time and cache time in a Server-Timing header
and the log, slow queries logged with their SQL and view, a warning past the query budget, and
recent figures kept for `manage.py query_report`."""

import logging
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

from core import stats, timing

logger = logging.getLogger("core.queries")


class QueryRecorder:
    def __init__(self, *, slow_ms: float):
        self.slow_ms = slow_ms
        self.slow = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            timing.add("db", elapsed)
            if elapsed * 1000 >= self.slow_ms:
                self.slow.append((elapsed * 1000, sql))


class QueryMonitorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.slow_ms = settings.SLOW_QUERY_MS
        self.budget = settings.QUERY_BUDGET

    def __call__(self, request):
        timings = timing.start()
        recorder = QueryRecorder(slow_ms=self.slow_ms)
        started = time.perf_counter()
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(recorder))
                response = self.get_response(request)
        finally:
            timing.stop()
        total_ms = (time.perf_counter() - started) * 1000
        db_seconds, queries = timings.get("db", (0.0, 0))
        cache_seconds, cache_calls = timings.get("cache", (0.0, 0))
        response["Server-Timing"] = (
            f'db;dur={db_seconds * 1000:.1f};desc="{queries} queries", '
            f'cache;dur={cache_seconds * 1000:.1f};desc="{cache_calls} calls", '
            f"app;dur={total_ms:.1f}"
        )
        view = view_name(request)
        for duration_ms, sql in recorder.slow:
            logger.warning("slow query %.1f ms in %s: %s", duration_ms, view, sql)
        if queries > self.budget:
            logger.warning(
                "%s ran %d queries (budget %d): %s", view, queries, self.budget, request.path
            )
        stats.record_request(
            view=view,
            queries=queries,
            db_ms=db_seconds * 1000,
            total_ms=total_ms,
            slow=recorder.slow,
        )
        return response


def view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "(unresolved)"
    return match.view_name or match._func_path
