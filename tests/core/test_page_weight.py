"""The first load of every page, compressed, stays under 100 KB, and the editor is not part of it.

A page's first load is its HTML plus every CSS, JavaScript and font file needed to paint it: the
stylesheets and scripts it links, the fonts and stylesheets those stylesheets import, the modules
those scripts import statically. Static files count at the size of the brotli (else gzip) copy
WhiteNoise serves; the HTML at gzip -6, as a proxy or CDN compresses it. Images are not counted.

`pytest tests/core/test_page_weight.py -s` prints the figures.
"""

import gzip
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from collaboration.models import Room
from courses.models import Course, Lesson

BUDGET_BYTES = 100 * 1024
FONT = re.compile(r"\.(woff2?|ttf|otf|eot)$")
CSS_URL = re.compile(
    r"""@import\s+(?:url\()?\s*["']?([^"')\s]+)|url\(\s*["']?([^"')]+)["']?\s*\)"""
)
JS_STATIC_IMPORT = re.compile(
    r"""(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["']([^"']+)["']"""
)
JS_DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["']([^"']+)["']\s*\)""")


class _Assets(HTMLParser):
    """The stylesheets, preloads and scripts a page links."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = set((attrs.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "preload", "modulepreload"} and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def static_name(url):
    prefix = settings.STATIC_URL
    return url[len(prefix) :] if url.startswith(prefix) else None


def served_size(name):
    """What a browser accepting brotli downloads for this collected file."""
    path = Path(settings.STATIC_ROOT) / name
    for compressed in (Path(f"{path}.br"), Path(f"{path}.gz"), path):
        if compressed.exists():
            return compressed.stat().st_size
    raise AssertionError(f"{name} is linked but was not collected")


def imported_names(name, *, dynamic):
    """The static files that a collected CSS or JS file pulls in (relative to it)."""
    text = (Path(settings.STATIC_ROOT) / name).read_text()
    if name.endswith(".css"):
        found = [a or b for a, b in CSS_URL.findall(text)]
        found = [url for url in found if url.endswith(".css") or FONT.search(url)]
    else:
        found = JS_STATIC_IMPORT.findall(text)
        if dynamic:
            found += JS_DYNAMIC_IMPORT.findall(text)
    return [
        os.path.normpath(os.path.join(os.path.dirname(name), url))
        for url in found
        if not url.startswith(("data:", "http:", "https:", "/"))
    ]


def closure(names, *, dynamic):
    seen, queue = set(), list(names)
    while queue:
        name = queue.pop()
        if name not in seen:
            seen.add(name)
            queue.extend(imported_names(name, dynamic=dynamic))
    return seen


def first_load(html: str) -> dict[str, int]:
    parser = _Assets()
    parser.feed(html)
    names = [static_name(url) for url in parser.urls]
    assert None not in names, f"a page links a file outside STATIC_URL: {parser.urls}"
    return {name: served_size(name) for name in sorted(closure(names, dynamic=False))}


def editor_bundle() -> set[str]:
    """dist/editor.js and every module it loads, now or later."""
    return closure([static_name(static("dist/editor.js"))], dynamic=True)


@pytest.fixture
def demo_site(db):
    """The data `make run` shows (realistic lessons, a full leaderboard page)."""
    with open(os.devnull, "w") as quiet, override_settings(DEBUG=True):
        call_command("seed_demo", "--users", "60", stdout=quiet)
    course = Course.objects.published().order_by("id").first()
    lesson = Lesson.objects.filter(course=course).exclude(starter_code="").order_by("position")
    return {
        "course": course,
        "lesson": lesson.first() or course.lessons.first(),
        "learner": User.objects.filter(username__startswith="learner").order_by("-xp").first(),
        "room": Room.objects.active().order_by("id").first(),
    }


def pages(site):
    course, lesson = site["course"], site["lesson"]
    return {
        "home": reverse("home"),
        "catalog": reverse("courses:catalog"),
        "course": course.get_absolute_url(),
        "lesson": lesson.get_absolute_url(),
        "leaderboard": reverse("leaderboard:leaderboard"),
        "profile": reverse("leaderboard:profile", args=[site["learner"].username]),
        "rooms": reverse("collaboration:rooms"),
        "room": site["room"].get_absolute_url(),
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:signup"),
    }


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_every_page_first_loads_under_100_kb_compressed_without_the_editor(client, demo_site, role):
    site_pages = pages(demo_site)
    if role == "learner":
        client.force_login(demo_site["learner"])
        site_pages = {k: v for k, v in site_pages.items() if k not in ("login", "signup")}
    editor = editor_bundle()
    report, over_budget, editor_on_first_load = [], {}, {}

    for page, url in site_pages.items():
        response = client.get(url)
        assert response.status_code == 200, (page, url)
        html = response.content.decode()
        assets = first_load(html)
        html_bytes = len(gzip.compress(response.content, compresslevel=6))
        total = html_bytes + sum(assets.values())
        report.append(
            f"{role:9} {page:11} {total:7,} B  (HTML {html_bytes:,} B; "
            + ", ".join(f"{Path(name).name} {size:,} B" for name, size in assets.items())
            + ")"
        )
        if total >= BUDGET_BYTES:
            over_budget[page] = total
        if editor & set(assets):
            editor_on_first_load[page] = sorted(editor & set(assets))

    print("\n" + "\n".join(report))
    assert over_budget == {}, "\n".join(report)
    assert editor_on_first_load == {}
    editor_bytes = sum(served_size(name) for name in editor)
    print(f"editor bundle, loaded on opening an editor: {editor_bytes:,} B compressed")
