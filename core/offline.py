"""Offline reading: the service worker's script and the pages it may keep.

The worker (core/service_worker.js) is served from the site root by a view, so that its scope is
the whole site and so that its configuration names the current build: a deploy changes the script
and the browser replaces the worker.
"""

import json
import re
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static

from core.build import build_version

OFFLINE_COPY_HEADER = "X-Offline-Copy"
PAGE_COPIES = 20
# The first-paint files of every page, fetched when the worker installs: the page that installed
# it was loaded before the worker existed, so they would not be in its cache otherwise.
PRECACHED = ("css/site.css", "dist/site.js", "vendor/htmx.min.js")
# Django's manifest storage puts 12 hex digits of the content's hash before the extension.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")

_SOURCE = Path(__file__).with_name("service_worker.js")


def offline_readable(view):
    """Lets the service worker keep a copy of the page for reading offline.

    Not when the page shows flash messages ("Lesson complete: +10 XP"): the copy would repeat them
    on every later visit. They are filled in after the view (core/personal.py): counted here,
    without reading them.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not len(get_messages(request)):
            response[OFFLINE_COPY_HEADER] = "1"
        return response

    return wrapper


def service_worker_script(*, static_prefix: str) -> str:
    """The worker's source with its configuration; `static_prefix` is STATIC_URL made absolute."""
    precache = [url for url in (static(name) for name in PRECACHED) if HASHED_NAME.search(url)]
    config = {
        "version": build_version(),
        "precache": precache,
        "staticPrefix": static_prefix,
        "pageCopies": PAGE_COPIES,
    }
    return f"const CONFIG = {json.dumps(config)};\n\n{_SOURCE.read_text()}"


def static_prefix_for(request) -> str:
    return request.build_absolute_uri(settings.STATIC_URL)
