from django.http import JsonResponse


def json_error(message, *, status=400, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def parse_non_negative_int(raw, *, name, default):
    """Returns (value, error): a query-string integer >= 0, or a message saying what is wrong."""
    if raw is None or raw == "":
        return default, None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None, f"{name} must be a whole number"
    if value < 0:
        return None, f"{name} must not be negative"
    return value, None
