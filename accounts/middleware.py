from django.utils.functional import empty

from accounts.services import touch_last_active


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
