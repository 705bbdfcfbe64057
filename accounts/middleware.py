from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.utils.functional import empty

from accounts.services import touch_last_active

# The backend every sign-in names now (accounts.backends), and the one sessions opened before it
# name: Django's ModelBackend, which reads the learner's row from PostgreSQL on every request.
CACHED_BACKEND = "accounts.backends.CachedModelBackend"
OLDER_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionBackendMiddleware:
    """Moves a session that names Django's ModelBackend onto the cached backend, once: a
    returning learner whose session is older than the cached backend would otherwise cost a
    query on every page for as long as it lives (two weeks). Between the session and the
    authentication middleware; it reads only sessions a cookie names, which the request reads
    anyway, and writes only the ones it moves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            session = request.session
            if session.get(BACKEND_SESSION_KEY) == OLDER_BACKEND:
                session[BACKEND_SESSION_KEY] = CACHED_BACKEND
        return self.get_response(request)


class LastActiveMiddleware:
    """Keeps `last_active_at` fresh for the leaderboard's 30-day window, writing rarely."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Only when the request already loaded its user: this middleware adds no query of its own.
        if user is None or getattr(user, "_wrapped", empty) is empty:
            return response
        if user.is_authenticated and request.method != "HEAD":
            touch_last_active(user=user)
        return response
