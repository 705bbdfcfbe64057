"""Caching against real Redis: variation, invalidation, stampedes, conditional GETs, and a
Redis of the test's own that it flushes, kills and restarts."""

import threading
import time

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from core.cache import CacheGroup
from courses.models import LessonProgress
from tests.factories import CourseFactory, LessonFactory, RoomFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(title="Cached Course", slug="cached")
    LessonFactory(course=course, slug="first", title="First")
    LessonFactory(course=course, slug="second", title="Second")
    return course


def test_anonymous_pages_are_public_and_served_from_the_cache(
    client, course, django_assert_num_queries
):
    first = client.get("/courses/")
    shared_for = int(first["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert "public" in first["Cache-Control"] and 240 <= shared_for <= 300  # jittered
    assert "Cookie" in first["Vary"]
    with django_assert_num_queries(0):
        again = client.get("/courses/")
    assert again.content == first.content


def test_a_learner_never_gets_the_anonymous_page_nor_another_learners(course):
    anonymous, ada, bob = Client(), Client(), Client()
    ada_user, bob_user = UserFactory(username="ada"), UserFactory(username="bob")
    ada.force_login(ada_user)
    bob.force_login(bob_user)
    LessonProgress.objects.create(
        user=ada_user, lesson=course.lessons.get(slug="first"), completed=True
    )

    anonymous_page = anonymous.get("/courses/cached/").content.decode()
    ada_page = ada.get("/courses/cached/")
    bob_page = bob.get("/courses/cached/").content.decode()

    assert "ada" not in anonymous_page and "Log in" in anonymous_page
    assert "private" in ada_page["Cache-Control"]
    assert "ada ·" in ada_page.content.decode() and "done ✓" in ada_page.content.decode()
    assert "bob ·" in bob_page and "ada ·" not in bob_page and "done ✓" not in bob_page


def test_an_admin_edit_shows_on_the_next_request(client, course):
    assert "Cached Course" in client.get("/courses/").content.decode()
    staff = Client()
    staff.force_login(StaffFactory())
    response = staff.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        {
            "title": "Renamed Course", "slug": "cached", "summary": "s", "published": "on",
            "position": "0", "author": course.author_id, "lessons-TOTAL_FORMS": "0",
            "lessons-INITIAL_FORMS": "0", "lessons-MIN_NUM_FORMS": "0",
            "lessons-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    body = client.get("/courses/").content.decode()
    assert "Renamed Course" in body and "Cached Course" not in body
    assert client.get("/api/courses").json()["results"][0]["title"] == "Renamed Course"


def test_editing_a_lesson_retires_the_cached_lesson_page(client, course):
    lesson = course.lessons.get(slug="first")
    assert "Old words" not in client.get(lesson.get_absolute_url()).content.decode()
    lesson.body = "Old words are gone; **new words** are here."
    lesson.save()
    assert "<strong>new words</strong>" in client.get(lesson.get_absolute_url()).content.decode()


def test_completing_a_lesson_shows_at_once_on_the_learners_pages(learner_client, course):
    learner_client.get("/courses/cached/")
    learner_client.get("/courses/cached/first/")
    learner_client.post("/courses/cached/first/complete/")
    assert (
        "You completed this lesson" in learner_client.get("/courses/cached/first/").content.decode()
    )
    assert "done ✓" in learner_client.get("/courses/cached/").content.decode()
    assert "1/2 done" in learner_client.get("/courses/").content.decode()


def test_a_conditional_get_answers_304(client, course):
    first = client.get("/courses/cached/")
    assert first.has_header("ETag")
    again = client.get("/courses/cached/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    api = client.get("/api/courses")
    assert client.get("/api/courses", headers={"If-None-Match": api["ETag"]}).status_code == 304


def test_a_hot_entry_is_rebuilt_once_under_concurrent_requests():
    group = CacheGroup(f"hot-{time.time_ns()}", timeout=60)
    builds = []
    start = threading.Barrier(8)

    def slow_build():
        builds.append(1)
        time.sleep(0.3)
        return "value"

    results = []

    def request():
        start.wait(timeout=5)
        results.append(group.get("key", slow_build))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == ["value"] * 8
    assert len(builds) == 1


def test_an_expired_entry_is_served_stale_while_one_request_rebuilds():
    group = CacheGroup(f"stale-{time.time_ns()}", timeout=0, stale_for=60)
    assert group.get("key", lambda: "old") == "old"
    cache.add(f"lock:{group.name}:key", 1, 10)  # another request is rebuilding right now
    assert group.get("key", lambda: "new") == "old"
    cache.delete(f"lock:{group.name}:key")
    assert group.get("key", lambda: "new") == "new"


def test_a_personal_entry_is_rebuilt_without_taking_the_lock(monkeypatch):
    group = CacheGroup(f"own-{time.time_ns()}", timeout=60, per_key_versions=True, personal=True)
    assert group.get(7, lambda: "first") == "first"
    group.invalidate(7)
    locks = []
    monkeypatch.setattr(cache, "add", lambda key, *args, **kwargs: locks.append(key) or True)
    assert group.get(7, lambda: "second") == "second"
    assert group.get(7, lambda: "third") == "second"  # stored as usual
    assert not [key for key in locks if key.startswith("lock:")]


def test_invalidating_a_group_retires_all_its_entries():
    group = CacheGroup(f"gen-{time.time_ns()}", timeout=60)
    group.get("a", lambda: 1)
    group.get("b", lambda: 2)
    group.invalidate()
    assert (group.get("a", lambda: 10), group.get("b", lambda: 20)) == (10, 20)


def test_sessions_survive_flushall(own_redis, learner):
    from django_redis import get_redis_connection

    client = Client()
    client.force_login(learner)
    assert client.get("/courses/").wsgi_request.user == learner
    get_redis_connection("default").flushall()
    assert client.get("/courses/").wsgi_request.user == learner


def test_the_site_keeps_answering_with_redis_dead_and_recovers_when_it_returns(own_redis, course):
    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    anonymous = Client()
    pages = ["/", "/courses/", "/courses/cached/", "/courses/cached/first/", "/leaderboard/",
             "/api/courses", "/api/leaderboard", "/rooms/"]  # fmt: skip
    for url in pages:
        assert anonymous.get(url).status_code == 200

    own_redis.kill()
    started = time.monotonic()
    for url in pages:
        assert anonymous.get(url).status_code == 200, url
        assert client.get(url).status_code == 200, url
    # The breaker opened on the first failure: the rest did not each wait on a dead socket.
    assert time.monotonic() - started < 5
    # Writes still land in PostgreSQL.
    assert client.post("/courses/cached/first/complete/").status_code == 302
    assert LessonProgress.objects.filter(user=learner, completed=True).count() == 1
    assert client.get("/courses/cached/first/").wsgi_request.user == learner

    own_redis.start()
    time.sleep(1.2)  # BREAKER_RESET_SECONDS
    from django_redis import get_redis_connection

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        anonymous.get("/api/courses")
        if get_redis_connection("default").dbsize() > 0:
            break
        time.sleep(0.2)
    assert get_redis_connection("default").dbsize() > 0
    assert caches["default"].redis_available


def _open_the_breaker_then_bring_redis_back(own_redis):
    backend = caches["default"]
    backend.set("warm", 1)
    own_redis.kill()
    assert backend.get("warm") is None  # answered from process memory: the breaker opened
    assert not backend.redis_available
    own_redis.start()
    time.sleep(1.1)  # BREAKER_RESET_SECONDS
    return backend


# Every kind of call may be the one half-open probe; each must leave the breaker able to close.
PROBES = {
    "get_many": lambda backend: backend.get_many(["a", "b"]),
    "add": lambda backend: backend.add("added", 1),
    "delete": lambda backend: backend.delete("gone"),
    "set_many": lambda backend: backend.set_many({"x": 1, "y": 2}),
    "incr of an existing key": lambda backend: (backend.set("n", 1), backend.incr("n")),
    "incr_existing_many": lambda backend: backend.incr_existing_many({"n": 1, "m": 2}),
}


@pytest.mark.parametrize("probe", PROBES.values(), ids=PROBES.keys())
def test_any_call_as_the_recovery_probe_closes_the_breaker(own_redis, probe):
    backend = _open_the_breaker_then_bring_redis_back(own_redis)
    probe(backend)
    assert backend.redis_available
    assert backend.breaker.state() == {"state": "closed"}


def test_a_probe_that_raises_something_else_does_not_leave_the_breaker_stuck_open(own_redis):
    # `incr` of a missing key raises ValueError: the normal first call of a fixed-window counter.
    backend = _open_the_breaker_then_bring_redis_back(own_redis)
    with pytest.raises(ValueError):
        backend.incr("never-set")
    backend.get("anything")  # the next call probes in its place
    assert backend.redis_available
    backend.set("after", "on redis")
    from django_redis import get_redis_connection

    assert get_redis_connection("default").exists(backend.make_key("after"))


def test_ready_and_cache_stats_show_the_breaker(own_redis, client, capsys):
    from django.core.management import call_command

    assert client.get("/ready").json()["checks"]["cache"]["breaker"] == {"state": "closed"}
    _open_the_breaker_then_bring_redis_back(own_redis)
    # Redis answers a PING again, but this process still runs on memory until its next call.
    response = client.get("/ready")
    breaker = response.json()["checks"]["cache"]["breaker"]
    assert breaker["state"] == "open" and breaker["open_for_s"] >= 1
    assert response.status_code == 200 and response.json()["status"] == "degraded"

    _open_the_breaker_then_bring_redis_back(own_redis)
    call_command("cache_stats")
    assert "Circuit breaker (this process): open for" in capsys.readouterr().out
    call_command("cache_stats")  # the first run's own calls closed it, and recorded the outage
    out = capsys.readouterr().out
    assert "Circuit breaker (this process): closed." in out
    # One: the first outage's record went with the Redis that was killed (it keeps nothing).
    assert "Outages of every process: 1 openings" in out


def test_hit_and_miss_counts_show_in_cache_stats(client, course, capsys):
    from django.core.management import call_command

    from core import stats

    stats.reset()
    client.get("/courses/")
    client.get("/courses/")
    call_command("cache_stats")
    out = capsys.readouterr().out
    catalog_line = next(line for line in out.splitlines() if line.startswith("catalog"))
    hits, misses = (int(n) for n in catalog_line.split()[1:3])
    assert hits >= 1 and misses >= 1


def test_warm_cache_fills_the_hot_pages(course, capsys, django_assert_num_queries):
    from django.core.management import call_command

    call_command("warm_cache")
    out = capsys.readouterr().out
    assert "Warmed 8 of 8 pages" in out  # home, catalog, api, course, 2 lessons, 2 leaderboard
    with django_assert_num_queries(0):
        for path in (
            "/",
            "/courses/",
            "/courses/cached/",
            "/courses/cached/second/",
            "/leaderboard/",
        ):
            assert Client().get(path).status_code == 200


def test_the_apis_answer_learners_from_the_shared_copy_without_varying_on_the_cookie(
    learner_client, django_assert_num_queries
):
    url = reverse("leaderboard:api") + "?limit=5"
    first = learner_client.get(url)
    with django_assert_num_queries(0):
        again = learner_client.get(url)
    assert again.content == first.content
    assert "public" in again["Cache-Control"] and "s-maxage" in again["Cache-Control"]
    assert "Cookie" not in again.get("Vary", "")


def test_the_chat_poll_may_be_shared_by_the_edge_for_a_second(learner_client):
    room = RoomFactory()
    response = learner_client.get(reverse("collaboration:messages", args=[room.slug]))
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert "Cookie" not in response.get("Vary", "")


def test_entries_built_together_do_not_go_stale_together():
    group = CacheGroup(f"jitter-{time.time_ns()}", timeout=30)
    for n in range(20):
        group.get(f"key-{n}", lambda: "value")
    fresh_until = [cache.get(f"{group.name}:key-{n}")["fresh_until"] for n in range(20)]
    assert max(fresh_until) - min(fresh_until) > 1  # spread over the last 6 s of the 30
    assert all(time.time() + 23 < until <= time.time() + 30 for until in fresh_until)


def test_incr_existing_many_adds_to_the_keys_that_exist_and_names_the_others(own_redis):
    backend = caches["default"]
    backend.set("one", 1, 60)
    backend.set("two", 2, None)
    assert backend.incr_existing_many({"one": 1, "two": 3, "gone": 1}) == ["gone"]
    assert backend.get_many(["one", "two", "gone"]) == {"one": 2, "two": 5}
    assert 0 < backend.ttl("one") <= 60 and backend.ttl("two") is None  # expiries kept
    own_redis.kill()
    backend.get("warm")  # opens the breaker: process memory answers
    backend.fallback.set("one", 1)
    assert backend.incr_existing_many({"one": 1, "gone": 1}) == ["gone"]
    assert backend.fallback.get("one") == 2
