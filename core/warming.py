"""Filling hot cache entries after a deploy. Apps register the public URLs worth warming (core
imports no app); `manage.py warm_cache` renders each once as an anonymous visitor, which fills
both the whole-page entry and the fragments the page is built from."""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve

_url_sources: list[Callable[[], Iterable[str]]] = []


def register(source: Callable[[], Iterable[str]]):
    """`source()` returns the paths to warm; called at warm time, so it sees current data."""
    _url_sources.append(source)
    return source


def hot_paths() -> list[str]:
    return [path for source in _url_sources for path in source()]


def warm(path: str) -> int:
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.COOKIES = {}
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    return response.status_code
