"""Searching the published lessons: title, body and starter code.

On PostgreSQL: full-text search over a weighted document (title A, body B, starter code C), the
`Lesson.search_document` column its GIN index covers (courses.models.lesson_search_document), ranked
with ts_rank and with highlighted snippets from ts_headline. On the embedded SQLite default: a
case-insensitive match that ranks a title match first, with a snippet cut around the match.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from courses.models import Lesson

MAX_QUERY_CHARS = 200
RESULTS = 20
CONFIG = "english"
# Markers no lesson contains, so that escaping the snippet cannot break the highlight.
START, STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    lesson: Lesson
    snippet: str


def clean_query(raw) -> str:
    return " ".join(str(raw or "").split())[:MAX_QUERY_CHARS]


def search_lessons(raw_query) -> list[Hit]:
    text = clean_query(raw_query)
    if not text:
        return []
    lessons = Lesson.objects.of_published_courses().select_related("course")
    if connection.vendor == "postgresql":
        return _full_text(lessons, text)
    return _plain_match(lessons, text)


def _full_text(lessons, text) -> list[Hit]:
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    best = (
        lessons.filter(search_document=query)
        .annotate(rank=SearchRank(F("search_document"), query))
        .order_by("-rank", "course__position", "position")
        .values_list("pk", flat=True)[:RESULTS]
    )
    # ts_headline re-reads a body, so only for the lessons shown: a second, small query.
    ids = list(best)
    found = {
        lesson.pk: lesson
        for lesson in lessons.filter(pk__in=ids)
        .annotate(
            snippet=SearchHeadline(
                "body",
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
            )
        )
        .defer("body_html", "solution", "tests", "search_document")
    }
    return [Hit(lesson=found[pk], snippet=_highlighted(found[pk].snippet)) for pk in ids]


def _plain_match(lessons, text) -> list[Hit]:
    words = text.split()[:8]
    matches = Q()
    for word in words:
        matches &= (
            Q(title__icontains=word) | Q(body__icontains=word) | Q(starter_code__icontains=word)
        )
    title_first = Case(
        When(title__icontains=words[0], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    found = (
        lessons.filter(matches)
        .annotate(title_first=title_first)
        .defer("body_html", "solution", "tests", "search_document")
        .order_by("title_first", "course__position", "position")[:RESULTS]
    )
    return [Hit(lesson=lesson, snippet=_cut_around(lesson.body, words)) for lesson in found]


def _cut_around(body, words) -> str:
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    match = pattern.search(body)
    start = max(0, match.start() - 80) if match else 0
    excerpt = body[start : start + 220]
    return _highlighted(pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt))


def _highlighted(snippet) -> str:
    safe = escape(" ".join(snippet.split()))
    return mark_safe(safe.replace(START, "<mark>").replace(STOP, "</mark>"))
