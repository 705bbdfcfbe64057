import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware


def json_error(message, *, status=400, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


# Past this a number from a query string is refused: PostgreSQL's OFFSET and LIMIT stop at a
# 64-bit integer, and nothing on this site counts anywhere near a billion.
QUERY_INT_MAX = 1_000_000_000


def parse_non_negative_int(raw, *, name, default, maximum=QUERY_INT_MAX):
    """Returns (value, error): a query-string integer in 0..maximum, or a message saying what is
    wrong. Only ASCII digits count: int() would also take " 7", "1_000" and other digits."""
    if raw is None or raw == "":
        return default, None
    if not (raw.isascii() and raw.isdigit()):
        if raw.startswith("-") and raw[1:].isascii() and raw[1:].isdigit():
            return None, f"{name} must not be negative"
        return None, f"{name} must be a whole number"
    digits = raw.lstrip("0") or "0"
    # The length test first: int() of a huge string is slow and past 4300 digits refuses.
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        return None, f"{name} must be at most {maximum}"
    return int(digits), None


def read_json_body(request):
    """Returns (data, error): the request body parsed as JSON, or a message saying what is wrong."""
    try:
        body = request.body
    except RequestDataTooBig:
        return None, "the request body is too large"
    try:
        return json.loads(body), None
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and bytes that are not UTF-8; RecursionError a nesting bomb.
        return None, "the request body is not valid JSON"


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or the header our own proxy sets (CLIENT_IP_HEADER).

    The header is trusted only when configured, because a client can send any header it likes.
    """
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def requester_key(request) -> str:
    """Who is asking, for per-caller budgets: the learner when logged in, else the address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request)}"


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def csrf_failure_reason(request) -> str | None:
    """Runs Django's CSRF check on a view that is exempt from the middleware's blanket check.

    Views that accept anonymous API calls are exempt and call this for session-authenticated
    requests only: a session cookie is the ambient credential a forged request would ride on.
    """
    reason = _CsrfCheck(lambda request: None).process_view(request, None, (), {})
    return reason if isinstance(reason, str) else None
