"""Reads go to a replica, writes to the primary, and a learner who just wrote reads from the
primary for a few seconds (read-your-writes), so completing a lesson never shows stale progress.

Only requests that `ReplicaMiddleware` marks may read from a replica; commands, Celery tasks and
anything outside a request use the primary.
"""

import random
from contextvars import ContextVar

from django.conf import settings

PIN_COOKIE = "ls_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_allowed.get():
            replicas = replica_aliases()
            if replicas:
                return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pin_seconds = settings.REPLICA_PIN_SECONDS

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        token = _replica_allowed.set(not writes and PIN_COOKIE not in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=self.pin_seconds, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response
