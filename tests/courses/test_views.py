import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from courses.models import Enrollment, LessonProgress
from tests.factories import CourseFactory, LessonFactory, LessonProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(title="Solidity Basics", slug="solidity-basics")
    LessonFactory(course=course, position=1, slug="hello", title="Hello")
    LessonFactory(course=course, position=2, slug="state", title="State")
    LessonFactory(course=course, position=3, slug="events", title="Events")
    return course


def test_the_home_page_lists_the_newest_courses(client, course):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Solidity Basics" in response.content.decode()


def test_the_catalog_lists_published_courses_with_lesson_counts(client, course):
    CourseFactory(title="Draft course", published=False)
    response = client.get(reverse("courses:catalog"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Solidity Basics" in body and "3 lessons" in body
    assert "Draft course" not in body


def test_the_catalog_shows_a_learners_progress(learner_client, course):
    LessonProgressFactory(user=learner_client.learner, lesson=course.lessons.get(slug="hello"))
    response = learner_client.get(reverse("courses:catalog"))
    assert '<progress max="3" value="1"></progress>' in response.content.decode()
    assert "1/3 done" in response.content.decode()


def test_the_course_page_marks_done_lessons_in_order(learner_client, course):
    LessonProgressFactory(user=learner_client.learner, lesson=course.lessons.get(slug="state"))
    response = learner_client.get(reverse("courses:course", args=[course.slug]))
    lessons = list(response.context["lessons"])
    assert [lesson.slug for lesson in lessons] == ["hello", "state", "events"]
    marked = re.findall(
        r'<li class="(done)?">\s*<a href="[^"]*/(\w+)/">', response.content.decode()
    )
    assert marked == [("", "hello"), ("done", "state"), ("", "events")]


def test_an_unpublished_or_unknown_course_is_404(client):
    draft = CourseFactory(published=False)
    assert client.get(reverse("courses:course", args=[draft.slug])).status_code == 404
    assert client.get(reverse("courses:course", args=["nope"])).status_code == 404
    assert client.get("/courses/nope/nothing/").status_code == 404


def test_enrolling_needs_a_post_and_a_login(learner_client, course):
    url = reverse("courses:enroll", args=[course.slug])
    assert Client().post(url).status_code == 302
    assert Enrollment.objects.count() == 0
    assert learner_client.get(url).status_code == 405
    assert learner_client.post(url).status_code == 302
    assert Enrollment.objects.filter(user=learner_client.learner, course=course).exists()


def test_a_lesson_renders_sanitised_markdown_with_highlighting(client, course):
    lesson = course.lessons.get(slug="state")
    lesson.body = (
        "# Storage\n<script>alert('x')</script>\n[click](javascript:alert(1))\n\n"
        "```solidity\ncontract C { uint256 public n; }\n```\n"
    )
    lesson.save()
    response = client.get(reverse("courses:lesson", args=[course.slug, "state"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Storage</h1>" in body
    assert "<script>alert" not in body and "javascript:" not in body
    assert '<span class="k">contract</span>' in body
    assert response.context["previous_lesson"]["slug"] == "hello"
    assert response.context["next_lesson"]["slug"] == "events"


def test_the_first_and_last_lessons_have_one_neighbour(client, course):
    first = client.get(reverse("courses:lesson", args=[course.slug, "hello"])).context
    last = client.get(reverse("courses:lesson", args=[course.slug, "events"])).context
    assert first["previous_lesson"] is None and first["next_lesson"]["slug"] == "state"
    assert last["next_lesson"] is None and last["previous_lesson"]["slug"] == "state"


def test_completing_a_lesson_by_post_awards_xp_and_redirects_back(learner_client, course):
    url = reverse("courses:complete", args=[course.slug, "hello"])
    response = learner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:lesson", args=[course.slug, "hello"])
    assert LessonProgress.objects.filter(user=learner_client.learner, completed=True).count() == 1
    assert User.objects.get(pk=learner_client.learner.pk).xp >= 10
    page = learner_client.get(response["Location"])
    assert "You completed this lesson" in page.content.decode()


def test_completing_needs_a_login_and_a_post(learner_client, course):
    url = reverse("courses:complete", args=[course.slug, "hello"])
    assert Client().post(url).status_code == 302
    assert learner_client.get(url).status_code == 405
    assert LessonProgress.objects.count() == 0


def test_completing_a_lesson_of_a_draft_course_is_404(learner_client):
    lesson = LessonFactory(course=CourseFactory(published=False))
    url = reverse("courses:complete", args=[lesson.course.slug, lesson.slug])
    assert learner_client.post(url).status_code == 404


def test_the_courses_api_lists_published_courses(client, course):
    CourseFactory(published=False)
    response = client.get("/api/courses")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["slug"] == "solidity-basics"
    assert item["lesson_count"] == 3
    assert set(item) == {"id", "slug", "title", "summary", "lesson_count", "created_at"}


def test_the_courses_api_refuses_a_post(client):
    assert client.post("/api/courses").status_code == 405
