"""Imported by the settings (WHITENOISE_ADD_HEADERS_FUNCTION), so it imports nothing of Django."""

IMMUTABLE = "public, max-age=31536000, immutable"


def add_cache_headers(headers, path, url):
    """Hashed files are cached for a year, the most HTTP caches are expected to honour (WhiteNoise's
    own "forever" is ten years)."""
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = IMMUTABLE
