"""The personal parts of pages, filled in per request around a page rendered once for everyone.

A page is mostly the same for every reader: the lesson, the catalog, the leaderboard's table. The
parts that differ (the signed-in learner's name and XP in the header, whether they completed a
lesson, their rank, the CSRF token of a form) are left in the rendered page as markers by the
`{% personal name arg=value… %}` tag (core/templatetags/personal.py). `fill()` replaces each
marker with what its fragment function gives for the request; apps register those functions
with `@fragment("name")` (accounts/personal.py, courses/personal.py, leaderboard/personal.py).

So a page cache (core.page_cache) keeps ONE copy of a page for everyone: anonymous visitors get it
filled once, as a visitor sees it, when it is stored (and the edge may keep that copy); a
signed-in learner gets the stored copy filled per request, which costs a regex pass over the
page and a few small lookups instead of rendering the page. Pages rendered per request carry the
same markers and are filled by `PersonalMiddleware`.

Nothing personal can reach another reader through a cache: the stored page is rendered with an
anonymous user (core.page_cache), and markers are filled only on the way out.
"""

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.cache import prefetch_scope
from core.csrf import masked_token

_FRAGMENTS: dict[str, Callable] = {}
_LEARNER_ENTRIES: list[Callable] = []
_MARKER = re.compile(rb"<!--personal:(\w+)(?::(.*?))?-->")
PREFIX = b"<!--personal:"


def fragment(name: str):
    """Registers `function(reader, **args) -> str` (HTML, already escaped; or a Rewrite) as
    fragment `name`. `reader` is a Reader, or an AsVisitor when the page is filled for visitors."""

    def register(function):
        if _FRAGMENTS.get(name, function) is not function:
            raise ValueError(f"personal fragment {name!r} is registered twice")
        _FRAGMENTS[name] = function
        return function

    return register


def learner_entries(function):
    """Registers `function(user_id) -> [(cache group, key)]`: the cached entries a signed-in
    learner's page reads (their row, their progress), prefetched with the page in one round
    trip (core.page_cache)."""
    _LEARNER_ENTRIES.append(function)
    return function


def entries_for_learner(user_id: int) -> list:
    return [pair for function in _LEARNER_ENTRIES for pair in function(user_id)]


def marker(name: str, args: dict) -> str:
    if name not in _FRAGMENTS:
        raise LookupError(f"No personal fragment is named {name!r}")
    if not args:
        return f"<!--personal:{name}-->"
    # JSON with "<", ">" and "-" escaped: the payload can never close the comment early.
    payload = json.dumps(args, separators=(",", ":"), sort_keys=True)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("-", "\\u002d")
    return f"<!--personal:{name}:{payload}-->"


class Reader:
    """Who a page is filled for, as fragments see it: `user` (loaded once: a page's fragments
    ask for it dozens of times, and each ask through the request's lazy user costs), `path`,
    and the `request` itself (its CSRF token, its messages), None for every visitor."""

    def __init__(self, request):
        user = request.user
        user.is_authenticated  # noqa: B018  (loads the lazy user once)
        self.user = getattr(user, "_wrapped", user)
        self.path = request.path
        self.request = request
        self.memo = {}


class Rewrite(NamedTuple):
    """What a fragment returns to change the page beyond its marker: its own HTML, and one
    replacement made once in the filled page (marking the learner's row of a shared table
    costs one search this way, where a marker on every row cost a call each)."""

    html: str
    old: bytes
    new: bytes


@lru_cache(maxsize=4096)
def _arguments(payload: bytes) -> dict:
    # The same stored page carries the same markers for every reader: parsed once per process.
    return json.loads(payload) if payload else {}


def fill(content: bytes, request) -> bytes:
    """`content` with every marker replaced by its fragment for `request`."""
    if PREFIX not in content:
        return content
    reader = request if isinstance(request, AsVisitor) else Reader(request)
    seen: dict[bytes, bytes] = {}
    rewrites = []

    def replace(match):
        found = seen.get(match[0])
        if found is None:
            made = _FRAGMENTS[match[1].decode()](reader, **_arguments(match[2] or b""))
            if isinstance(made, Rewrite):
                rewrites.append(made)
                made = made.html
            found = seen[match[0]] = made.encode()
        return found

    filled = _MARKER.sub(replace, content)
    for rewrite in rewrites:
        filled = filled.replace(rewrite.old, rewrite.new, 1)
    return filled


def remembered(reader, name: str, build: Callable):
    """`build()` once per page: its fragments share what they read (the learner's progress for
    every lesson of a course, one CSRF token for every form)."""
    if name not in reader.memo:
        reader.memo[name] = build()
    return reader.memo[name]


def csrf_token(reader) -> str:
    return remembered(reader, "csrf", lambda: masked_token(reader.request))


def csrf_field(reader) -> str:
    """A form's hidden CSRF input, with the reader's token (one for every form of the page)."""
    return remembered(reader, "csrf_field", lambda: _csrf_input(csrf_token(reader)))


def _csrf_input(token: str) -> str:
    # A masked token is letters and digits only (django.middleware.csrf), nothing to escape;
    # refused otherwise, as a marker must never carry what the page did not mean.
    if not token.isalnum() or not token.isascii():
        raise ValueError("a CSRF token is letters and digits")
    return mark_safe(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')


class AsVisitor:
    """What a fragment sees of a request when the page is filled for every anonymous visitor:
    the path, and nobody signed in."""

    request = None

    def __init__(self, request):
        self.path = request.path
        self.user = AnonymousUser()
        self.memo = {}


def for_visitor(content: bytes, request) -> bytes:
    return fill(content, AsVisitor(request))


class PersonalMiddleware:
    """Fills the markers of HTML responses rendered per request (and of stored pages served to a
    signed-in learner). Innermost, inside the messages middleware: a message shown here counts
    as read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with prefetch_scope():  # what the page cache prefetches serves this request only
            response = self.get_response(request)
            if (
                not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
                and PREFIX in response.content
            ):
                response.content = fill(response.content, request)
        return response


@fragment("csrf")
def csrf_input(reader, signed_in_only=False):
    """A form's CSRF field (for everyone, or with `signed_in_only` for learners only: the
    anonymous lesson page's check form carries none, so that the page can be stored)."""
    if reader.request is None:
        return ""
    if signed_in_only and not reader.user.is_authenticated:
        return ""
    return csrf_field(reader)


@fragment("messages")
def flash_messages(reader):
    """The flash messages waiting for this reader ("Lesson complete: +10 XP"); shown once."""
    if reader.request is None or not hasattr(reader.request, "_messages"):
        return ""
    waiting = list(get_messages(reader.request))
    if not waiting:
        return ""
    items = format_html_join("", '<li class="message {}">{}</li>', ((m.tags, m) for m in waiting))
    return format_html('<ul class="messages" role="status">{}</ul>', items)


@fragment("viewer")
def viewer(reader):
    """The signed-in learner's id, for the service worker's copies (static/src/site.js)."""
    return str(reader.user.pk) if reader.user.is_authenticated else ""
