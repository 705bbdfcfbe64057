"""One stored copy of a page for everyone, its personal parts filled per reader (core/personal.py),
and the signed-in learner's row read from Redis (accounts/backends.py)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.backends import USERS
from accounts.services import revoke_sessions
from core.cache import CacheGroup
from core.page_cache import _page_key
from core.personal import fill, marker
from courses.catalog import CATALOG
from tests.factories import CourseFactory, LessonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(title="Shared Course", slug="shared")
    LessonFactory(course=course, slug="read", title="Read me", xp_reward=25)
    LessonFactory(course=course, slug="next", title="Next one")
    return course


def _signed_in(username, **fields):
    client = Client()
    client.learner = UserFactory(username=username, **fields)
    client.force_login(client.learner)
    return client


PAGES = ["/", "/courses/", "/courses/shared/", "/courses/shared/read/", "/leaderboard/"]


@pytest.mark.parametrize("path", PAGES)
def test_two_learners_and_a_visitor_share_one_stored_page_and_see_only_their_own(path, course):
    ada, bob, visitor = _signed_in("ada", xp=70), _signed_in("bob", xp=30), Client()

    ada_page = ada.get(path)  # stores the page
    bob_page = bob.get(path).content.decode()
    visitor_page = visitor.get(path)

    assert "ada · L1 · 70 XP" in ada_page.content.decode()
    assert "bob · L1 · 30 XP" in bob_page and "ada ·" not in bob_page
    shown = visitor_page.content.decode()
    assert "ada ·" not in shown and "bob ·" not in shown and "Log in" in shown
    assert "private" in ada_page["Cache-Control"] and "public" in visitor_page["Cache-Control"]
    assert "<!--personal:" not in bob_page + shown  # every marker filled
    stored = cache.get(f"{CATALOG.name}:{_page_key(path, '')}") or {}
    if stored:  # the catalog group's pages: what the cache holds names nobody
        entry = stored["value"]
        assert b"ada \xc2\xb7" not in entry["content"] + entry["visitor"]
        assert b"<!--personal:" in entry["content"]


def test_the_visitor_page_is_what_it_was_before_anyone_signed_in(course):
    visitor = Client()
    before = visitor.get("/courses/shared/read/")
    _signed_in("ada").get("/courses/shared/read/")
    after = visitor.get("/courses/shared/read/")
    assert after.content == before.content and after["ETag"] == before["ETag"]
    assert "csrfmiddlewaretoken" not in after.content.decode()  # nothing per visitor in it
    assert not after.cookies


def test_a_learner_sees_their_completion_and_xp_on_their_very_next_pages(course):
    ada, bob = _signed_in("ada"), _signed_in("bob")
    for path in PAGES:  # everything stored and every personal cache warm
        ada.get(path), bob.get(path)

    response = ada.post(reverse("courses:complete", args=["shared", "read"]))
    assert response.status_code == 302

    lesson = ada.get("/courses/shared/read/").content.decode()
    assert "Lesson complete: +25 XP." in lesson  # the flash message, once
    assert "You completed this lesson ✓" in lesson
    ada.learner.refresh_from_db()
    assert f"ada · L{ada.learner.level} · {ada.learner.xp} XP" in lesson
    assert "done ✓" in ada.get("/courses/shared/").content.decode()
    assert "1/2 done" in ada.get("/courses/").content.decode()
    assert f"with {ada.learner.xp} XP" in ada.get("/leaderboard/").content.decode()
    assert "Lesson complete" not in ada.get("/courses/shared/read/").content.decode()

    theirs = bob.get("/courses/shared/read/").content.decode()
    assert "You completed this lesson" not in theirs and "Mark complete" in theirs
    assert "done ✓" not in bob.get("/courses/shared/").content.decode()


def test_forms_on_a_stored_page_carry_the_learners_own_csrf_token(course):
    ada = Client(enforce_csrf_checks=True)
    ada.force_login(UserFactory(username="ada"))
    page = ada.get("/courses/shared/read/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = ada.post(
        reverse("courses:complete", args=["shared", "read"]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_signed_in_lesson_page_reads_nothing_from_postgresql_once_warm(
    course, django_assert_num_queries
):
    ada = _signed_in("ada")
    ada.get("/courses/shared/read/")
    with django_assert_num_queries(0):
        assert ada.get("/courses/shared/read/").status_code == 200


def test_the_learners_row_is_read_again_after_every_write_to_it(course):
    ada = _signed_in("ada", xp=10)
    assert "10 XP" in ada.get("/courses/").content.decode()
    ada.learner.xp = 40
    ada.learner.save()  # post_save retires the cached row
    assert "40 XP" in ada.get("/courses/").content.decode()


def test_revoking_sessions_signs_the_learner_out_though_their_row_was_cached(course):
    ada = _signed_in("ada")
    assert ada.get("/courses/").wsgi_request.user.is_authenticated
    revoke_sessions(user_id=ada.learner.pk)
    assert not ada.get("/courses/").wsgi_request.user.is_authenticated


def test_rows_cached_before_a_redis_outage_are_retired_when_it_ends(course):
    ada = _signed_in("ada")
    ada.get("/courses/")
    generation = USERS.generation()
    CacheGroup.retire_after_outage_groups()
    assert USERS.generation() == generation + 1


def test_a_marker_cannot_close_itself_early_and_is_filled_for_its_reader():
    made = marker("lesson_class", {"lesson": "--><script>x</script>"})
    assert made.count("-->") == 1 and "<script>" not in made

    class Reader:
        user = UserFactory.build(pk=7)
        path = "/"

    page = b'<!--personal:my_row--><tr data-learner="8"><tr data-learner="7"><tr data-learner="7">'
    assert fill(page, Reader) == (
        b'<tr data-learner="8"><tr data-learner="7" class="me"><tr data-learner="7">'
    )


@pytest.mark.parametrize(
    ("path", "personal"),
    [
        ("/courses/shared/read/", "Mark complete"),
        ("/leaderboard/", "Your rank: <strong>#1</strong>"),
    ],
)
@pytest.mark.parametrize(
    ("learner_cookie", "round_trips"),
    [
        # The session with the stored page, the learner's row and progress (and, on the
        # leaderboard, their rank): the learner cookie, set by their first page, names them.
        ("as set", ["get_many"]),
        # Without it, the session's round trip first.
        (None, ["get", "get_many"]),
        # Naming someone else: what was read for them is read again for the session's learner.
        ("someone else", ["get_many", "get_many"]),
    ],
)
def test_a_warm_signed_in_page_takes_one_round_trip_to_redis(
    course, settings, path, personal, learner_cookie, round_trips
):
    from unittest import mock

    from django.core.cache import caches
    from django.utils import timezone

    ada = _signed_in("ada", xp=50, last_active_at=timezone.now())
    bob = UserFactory(username="bob", xp=10, last_active_at=timezone.now())
    ada.get(path)
    assert ada.cookies[settings.LEARNER_COOKIE].value == str(ada.learner.pk)
    if learner_cookie is None:
        del ada.cookies[settings.LEARNER_COOKIE]
    elif learner_cookie == "someone else":
        ada.cookies[settings.LEARNER_COOKIE] = str(bob.pk)
    calls = []
    watched = {caches["default"], caches[settings.SESSION_CACHE_ALIAS]}
    patches = [
        mock.patch.object(store, name, side_effect=_recording(calls, getattr(store, name), name))
        for store in watched
        for name in ("get", "get_many", "set", "add", "incr")
    ]
    for patch in patches:
        patch.start()
    try:
        page = ada.get(path).content.decode()
    finally:
        for patch in patches:
            patch.stop()
    assert "ada · L" in page and personal in page and "bob ·" not in page
    assert calls == round_trips, calls


def test_the_learners_rank_follows_the_xp_they_earn_on_their_next_page(course):
    from django.utils import timezone

    from accounts.services import award_xp

    UserFactory(username="cleo", xp=100, last_active_at=timezone.now())
    ada = _signed_in("ada", xp=50, last_active_at=timezone.now())
    assert "Your rank: <strong>#2</strong> with 50 XP" in ada.get("/leaderboard/").content.decode()
    award_xp(user_id=ada.learner.pk, amount=100)
    assert "Your rank: <strong>#1</strong> with 150 XP" in ada.get("/leaderboard/").content.decode()


def _recording(calls, method, name):
    def record(*args, **kwargs):
        calls.append(name)
        return method(*args, **kwargs)

    return record


def test_only_public_pages_are_hashed_into_an_etag(course):
    assert _signed_in("ada").get("/courses/shared/read/").get("ETag") is None
    assert Client().get("/courses/shared/read/")["ETag"]
