"""Pages cached by one build are never served by another."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core import build
from core.cache import CacheGroup
from core.page_cache import cached_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_build_version():
    build.build_version.cache_clear()
    yield
    build.build_version.cache_clear()


def test_a_new_build_does_not_serve_the_pages_an_old_build_cached(monkeypatch):
    renders = []

    @cached_page(CacheGroup("build-test", timeout=60))
    def page(request):
        renders.append(build.build_version())
        return HttpResponse(f"rendered by {build.build_version()}")

    request = RequestFactory().get("/a-page/")
    monkeypatch.setattr(build, "manifest_hash", lambda: "old-build")
    first, again = page(request), page(request)
    assert renders == ["old-build"] and again.content == first.content
    assert again["X-Build"] == "old-build"  # what the edge's copy says

    monkeypatch.setattr(build, "manifest_hash", lambda: "new-build")
    build.build_version.cache_clear()
    after_deploy = page(request)
    assert renders == ["old-build", "new-build"]
    assert (
        after_deploy.content == b"rendered by new-build" and after_deploy["X-Build"] == "new-build"
    )


def test_the_code_version_is_part_of_the_build_and_a_debug_build_is_named_apart(monkeypatch):
    monkeypatch.setattr(build, "manifest_hash", lambda: "abc")
    with override_settings(CODE_VERSION="1f2e3d"):
        build.build_version.cache_clear()
        assert build.build_version() == "abc-1f2e3d"
    monkeypatch.setattr(build, "manifest_hash", lambda: "")
    build.build_version.cache_clear()
    assert build.build_version().startswith("dev-")  # no manifest, as under DEBUG
