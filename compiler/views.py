from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from compiler.services import attempt_compile
from core.http import csrf_failure_reason, json_error, read_json_body, requester_key


@csrf_exempt  # checked below, for session-authenticated callers only
@require_POST
def api_compile(request):
    """POST {"source": "...", "optimize": false} -> the compiler's verdict.

    Anonymous callers may compile (lesson pages are public; the budget is per IP). A logged-in
    caller's session cookie is an ambient credential, so those calls must carry the CSRF token
    (the X-CSRFToken header from the page's own JavaScript), exactly as a form would.
    """
    if request.user.is_authenticated and (reason := csrf_failure_reason(request)):
        return json_error(f"CSRF check failed: {reason}", status=403)
    payload, error = read_json_body(request)
    if error:
        return json_error(error)
    if not isinstance(payload, dict):
        return json_error("the body must be a JSON object")
    if "source" not in payload:
        return json_error("source is required")
    if not isinstance(payload["source"], str):
        return json_error("source must be a string")
    optimize = payload.get("optimize", False)
    if not isinstance(optimize, bool):
        return json_error("optimize must be true or false")

    attempt = attempt_compile(
        source=payload["source"], optimize=optimize, requester=requester_key(request)
    )
    if attempt.result is None:
        response = json_error(attempt.problem, status=attempt.status)
    else:
        response = JsonResponse(attempt.result.as_json())
    for name, value in attempt.headers.items():
        response[name] = value
    return response
