"""Records every request's view, status, latency, queries and database time (operations.recorder).

It sits right inside core.monitoring.QueryMonitorMiddleware, whose per-request timers
(core.timing) are still running when the response comes back through here.
"""

import time

from core import timing
from core.monitoring import view_name
from operations import recorder

SKIPPED_VIEWS = {"metrics"}  # a scrape is not traffic


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_name(request)
        if view not in SKIPPED_VIEWS:
            db_seconds, queries = timing.current().get("db", (0.0, 0))
            recorder.record_request(
                view=view,
                method=request.method,
                status=response.status_code,
                seconds=elapsed,
                db_seconds=db_seconds,
                queries=queries,
            )
        return response
