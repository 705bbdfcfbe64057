from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.utils.functional import SimpleLazyObject, empty

from accounts.services import touch_last_active

# The backend every sign-in names now (accounts.backends), and the one sessions opened before it
# name: Django's ModelBackend, which reads the learner's row from PostgreSQL on every request.
CACHED_BACKEND = "accounts.backends.CachedModelBackend"
OLDER_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, but a session that names Django's ModelBackend is moved onto the cached backend
    when its learner is first loaded: a returning learner whose session is older than the cached
    backend would otherwise cost a query on every page for as long as it lives (two weeks). Only
    where the user is loaded anyway: a request that never reads its session (a shared page, a
    chat poll) must not start reading it, which would add `Vary: Cookie` and keep the edge from
    sharing the answer."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(
            lambda: auth_middleware.get_user(_on_current_backend(request))
        )


def _on_current_backend(request):
    session = request.session
    if (
        session.get(BACKEND_SESSION_KEY) == OLDER_BACKEND
        and CACHED_BACKEND in settings.AUTHENTICATION_BACKENDS  # else it would sign them out
    ):
        session[BACKEND_SESSION_KEY] = CACHED_BACKEND
    return request


class LearnerMiddleware:
    """For a request that loaded its learner: keeps `last_active_at` fresh for the leaderboard's
    30-day window, writing rarely; and sets the learner cookie to their id (core.page_cache
    reads their session with the page by it), or clears it once nobody is signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Only when the request already loaded its user: this middleware adds no query of its own.
        if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
            return response
        named = request.COOKIES.get(settings.LEARNER_COOKIE)
        if user.is_authenticated:
            if request.method != "HEAD":
                touch_last_active(user=user)
            if named != str(user.pk):
                response.set_cookie(
                    settings.LEARNER_COOKIE,
                    str(user.pk),
                    max_age=settings.SESSION_COOKIE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif named is not None:
            response.delete_cookie(settings.LEARNER_COOKIE, samesite="Lax")
        return response
