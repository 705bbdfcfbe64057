"""Sessions: Redis in front, the database behind (Django's cached_db), revoked everywhere.

A flush (logout) deletes the database row and the cached copy. While the cache's circuit breaker
is open that cached copy is this process's memory, not Redis: Redis keeps the session, and every
process that reads it from there would go on accepting the cookie. So when the delete cannot be
confirmed on Redis, the learner's session generation is bumped in the database instead. It is
part of the session auth hash that Django checks against the user row on every request, so each
of the learner's sessions stops working on every process at once, wherever it is cached; the
price is that the learner's other devices sign in again, and only during an outage.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore


class SessionStore(CachedDbStore):
    def flush(self):
        user_id = self.get(SESSION_KEY)
        super().flush()
        if user_id is not None and not getattr(self._cache, "redis_available", True):
            from accounts.services import revoke_sessions

            revoke_sessions(user_id=user_id)
