"""Whole-response caching of pages, one stored copy for everyone, and their Cache-Control.

GETs of a decorated view are served from the view's cache group, keyed by the build (core.build)
and the path. The view is rendered once, as for an anonymous visitor (`request.user` is
AnonymousUser while it runs), with markers where the personal parts go (core/personal.py). The
stored entry holds that page twice: with the markers, and filled as every visitor sees it.
Visitors get the filled copy with `Cache-Control: public, max-age, s-maxage` (a CDN may hold it),
`Vary: Cookie` and `X-Build`; a signed-in learner (or a visitor with flash messages) gets the
copy with markers, filled for them on the way out by core.personal.PersonalMiddleware and marked
`private, no-cache`. Responses that set cookies (a CSRF token, a session), or that are not 200,
are never stored.

A stored page is keyed by the path and only the query parameters the view reads (`query=`),
sorted: `/courses/?x=<random>` is the page `/courses/`, not a new entry each time, and the view
itself sees only those parameters, so what it stores follows from its key. The edge keys on the
same parameters (EDGE_QUERY_PARAMETERS in deploy/nginx_config.py, checked against
`QUERY_PARAMETERS` by the tests).

`shared=True` is for views whose answer does not depend on who asks (the JSON APIs): everyone,
signed in or not, gets the stored response, without `Vary: Cookie`, so the edge (deploy/nginx.conf
lists these paths) serves learners from its cache too.
"""

import hashlib
import random
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers

from core.build import build_version
from core.cache import CacheGroup, prefetch
from core.personal import entries_for_learner, for_visitor

BUILD_HEADER = "X-Build"

_KEPT_HEADERS = ("Content-Type", "Last-Modified", "Content-Language")

# Every query parameter some cached page reads: what the edge's cache key must include.
QUERY_PARAMETERS: set[str] = set()


def _canonical_query(request, names) -> QueryDict:
    """The request's parameters among `names`, sorted by name, each with its first value only:
    nginx's `$arg_name` (the edge's key) is the first value too."""
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        values = request.GET.getlist(name)
        if values:
            kept[name] = values[0]
    kept._mutable = False
    return kept


def _anonymous(request) -> bool:
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def _freeze(response, request):
    if response.status_code != 200 or response.cookies or response.streaming:
        return {"cacheable": False, "response": response}
    content = response.content
    visitor = for_visitor(content, request)
    return {
        "cacheable": True,
        "content": content,
        "visitor": visitor,
        "headers": {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)},
        "etag": f'"{hashlib.md5(visitor, usedforsecurity=False).hexdigest()}"',
    }


def _thaw(frozen, *, visitor):
    response = HttpResponse(frozen["visitor"] if visitor else frozen["content"])
    for name, value in frozen["headers"].items():
        response[name] = value
    if visitor:
        response["ETag"] = frozen["etag"]
    return response


def _render_for_everyone(view, request, *args, **kwargs):
    """The view's page as anyone would get it: rendered with nobody signed in, so that nothing
    of the learner who happened to ask first can be stored."""
    signed_in = getattr(request, "user", None)
    request.user = AnonymousUser()
    try:
        return view(request, *args, **kwargs)
    finally:
        if signed_in is None:
            del request.user
        else:
            request.user = signed_in


# What a stored entry holds (see _freeze): a build that stores another shape must not read these,
# nor these be read by it, when both serve during a rolling restart without a CODE_VERSION.
ENTRY_FORMAT = 3


def _page_key(path, query_string):
    # Keyed by the build too: an old build's pages name static files this one may lack.
    material = f"{build_version()}\n{ENTRY_FORMAT}\n{path}?{query_string}"
    return "page:" + hashlib.sha256(material.encode()).hexdigest()


def _prefetch_for_learner(request, group, key, learner_entries):
    """A signed-in learner's page reads the stored page, their row and their progress (and what
    the view's `learner_entries` name): one round trip for all. The learner's id is in their
    session: read first, in a round trip of its own, unless the learner cookie names them and
    the sessions are kept in the same cache as pages. Then the session is read in that same
    round trip, and the entries read for the learner the cookie names are the ones the page
    uses only when the session names that learner too (else they are read again for the one it
    names: the cookie decides nothing)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or request.method not in ("GET", "HEAD"):
        return

    def entries(user_id):
        own = learner_entries(user_id) if learner_entries is not None else []
        return [(group, key), *entries_for_learner(user_id), *own]

    named = _learner_named_by_cookie(request)
    session_key = _session_cache_key(request) if named is not None else None
    if session_key is not None:
        session = prefetch(entries(named), also=[session_key]).get(session_key)
        if session is not None:
            # What the store's own load() would have read from this key (SessionBase keeps a
            # loaded session there).
            request.session._session_cache = session
    try:
        user_id = int(request.session.get(SESSION_KEY))
    except (TypeError, ValueError):
        return  # no learner signed in with this session
    if session_key is None or user_id != named:
        prefetch(entries(user_id))


def _learner_named_by_cookie(request) -> int | None:
    value = request.COOKIES.get(settings.LEARNER_COOKIE, "")
    # isdigit() alone accepts "²", which int() refuses.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _session_cache_key(request) -> str | None:
    """The key under which the request's session store keeps it in the cache, when that cache
    is the one pages are in (configured alike) and the session is not loaded yet."""
    store = request.session
    alias = getattr(settings, "SESSION_CACHE_ALIAS", "default")
    if (
        settings.CACHES.get(alias) != settings.CACHES["default"]
        or hasattr(store, "_session_cache")
        or store.session_key is None
    ):
        return None
    return getattr(store, "cache_key", None)  # the cache-backed stores (cache, cached_db)


def retire(group: CacheGroup, path: str) -> None:
    """Retires the stored page at `path` (no query) now and once the transaction commits: a
    learner's own profile after they earned XP (the group needs per-key versions)."""
    group.invalidate(_page_key(path, ""))


def stored(group: CacheGroup, path: str) -> bytes | None:
    """The page `cached_page` keeps at `path` (no query), with its markers, when one is stored:
    for a view that answers with that page changed in one place (a lesson's check). None when
    none is, and the caller renders the page itself."""
    frozen = group.peek(_page_key(path, ""))
    return frozen["content"] if frozen is not None and frozen["cacheable"] else None


def cached_page(
    group: CacheGroup,
    *,
    max_age=60,
    s_maxage=None,
    shared=False,
    query=(),
    learner_entries=None,
):
    """`learner_entries(user_id) -> [(group, key)]`: cached entries of the learner that this
    page's personal parts read beyond those every page reads (core.personal.learner_entries),
    prefetched with the page."""
    s_maxage = group.timeout if s_maxage is None else s_maxage
    QUERY_PARAMETERS.update(query)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.GET = _canonical_query(request, query)
            request.META["QUERY_STRING"] = request.GET.urlencode()
            key = _page_key(request.path, request.GET.urlencode())
            if not shared:
                _prefetch_for_learner(request, group, key, learner_entries)
            visitor = shared or _anonymous(request)
            frozen = group.get(
                key,
                lambda: _freeze(_render_for_everyone(view, request, *args, **kwargs), request),
                cacheable=lambda value: value["cacheable"],
            )
            response = _thaw(frozen, visitor=visitor) if frozen["cacheable"] else frozen["response"]
            if not visitor:
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ["Cookie"])
                return response
            if response.status_code == 200:
                # Jittered like the group's own entries: the edge's copies of pages first fetched
                # together (every profile on the leaderboard) would otherwise expire together and
                # come back to the instances in one burst, every `s_maxage` seconds.
                shared_for = round(s_maxage * (1 - group.jitter * random.random()))
                patch_cache_control(response, public=True, max_age=max_age, s_maxage=shared_for)
            response[BUILD_HEADER] = build_version()  # the edge's copies say which build made them
            if not shared:
                patch_vary_headers(response, ["Cookie"])
            return response

        return wrapper

    return decorator
