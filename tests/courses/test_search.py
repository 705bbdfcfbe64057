import time

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from courses.models import Lesson, lesson_search_document
from courses.search import search_lessons
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons():
    course = CourseFactory(published=True)
    return {
        "title": LessonFactory(
            course=course, title="Reentrancy attacks", body="Why order matters in a withdrawal."
        ),
        "body": LessonFactory(
            course=course,
            title="Sending ether",
            body="A reentrancy guard stops a receiver from calling back. <b>not bold</b>",
        ),
        "code": LessonFactory(
            course=course,
            title="Counters",
            body="Counting things.",
            starter_code="contract Tally { function bumpTally() external {} }",
        ),
        "hidden": LessonFactory(
            course=course, title="Reentrancy, unpublished", body="x", published=False
        ),
    }


def test_search_finds_a_lesson_by_a_word_of_its_body_and_ranks_a_title_match_first(lessons):
    hits = search_lessons("reentrancy")
    assert [hit.lesson for hit in hits] == [lessons["title"], lessons["body"]]
    assert "<mark>reentrancy</mark>" in hits[1].snippet.lower()
    assert "<b>" not in hits[1].snippet  # only the highlight is markup


def test_search_finds_words_in_the_starter_code_and_skips_unpublished_lessons(lessons):
    assert [hit.lesson for hit in search_lessons("bumpTally")] == [lessons["code"]]
    assert all(hit.lesson.published for hit in search_lessons("unpublished reentrancy"))


def test_the_search_page_answers_from_every_page_and_is_cached_for_visitors(client, lessons):
    assert 'action="/search/"' in client.get("/courses/").content.decode()
    response = client.get(reverse("courses:search"), {"q": "reentrancy"})
    body = response.content.decode()
    assert response.status_code == 200 and "Reentrancy attacks" in body and "<mark>" in body
    assert "public" in response["Cache-Control"]
    assert client.get(reverse("courses:search"), {"q": "   "}).status_code == 200
    junk = client.get(reverse("courses:search"), {"q": "!!! & | ( ) :* <script>" * 30})
    assert junk.status_code == 200 and "<script>" not in junk.content.decode()


def test_the_search_uses_the_gin_index_at_ten_thousand_lessons(capsys):
    course = CourseFactory(published=True)
    words = ["storage", "mapping", "event", "modifier", "gas", "loop", "token", "vault"]
    Lesson.objects.bulk_create(
        Lesson(
            course=course,
            position=i,
            slug=f"bulk-{i}",
            title=f"Lesson {i} on {words[i % 8]}",
            body=f"All about {words[i % 8]} and {words[(i * 3) % 8]}, lesson {i}. " * 20,
        )
        for i in range(10_000)
    )
    # bulk_create skips save(), which stores each lesson's search document.
    Lesson.objects.filter(course=course).update(search_document=lesson_search_document())
    ours = LessonFactory(course=course, title="Reentrancy", body="The one lesson on reentrancy.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE courses_lesson")
    query = SearchQuery("reentrancy", search_type="websearch", config="english")
    plan = Lesson.objects.filter(search_document=query).explain(analyze=True)
    started = time.perf_counter()
    hits = search_lessons("reentrancy")
    elapsed = (time.perf_counter() - started) * 1000
    assert ours in [hit.lesson for hit in hits]
    started = time.perf_counter()
    common = search_lessons("storage")  # ranks the 1,250 lessons with the word
    common_ms = (time.perf_counter() - started) * 1000
    assert len(common) == 20
    assert "lesson_search" in plan and "Seq Scan on courses_lesson" not in plan
    with capsys.disabled():
        print(f"\nsearch at 10,001 lessons: a rare word {elapsed:.1f} ms, a common word "
              f"{common_ms:.1f} ms\n{plan}")  # fmt: skip
