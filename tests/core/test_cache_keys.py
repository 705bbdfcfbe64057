"""What a query string can do to the caches: nothing new is stored for parameters a page does not
read, the edge keys on the same parameters, and a flood of distinct pages evicts other pages,
never throttle counters or sessions."""

import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django_redis import get_redis_connection

from core import page_cache
from deploy.nginx_config import EDGE_QUERY_PARAMETERS
from tests.factories import PASSWORD, CourseFactory, LessonFactory, UserFactory
from tests.redis_server import OwnRedis, caches_on

pytestmark = pytest.mark.django_db


def stored_pages(group: str) -> int:
    pattern = caches["default"].make_key(f"{group}:page:*")  # this run's keys only
    return sum(1 for _ in get_redis_connection("default").scan_iter(pattern))


def test_random_query_strings_do_not_make_new_page_entries():
    CourseFactory(title="Only one")
    client = Client()
    first = client.get("/courses/").content
    for n in range(20):
        response = client.get("/courses/", {"x": uuid.uuid4().hex, "utm_source": n})
        assert response.content == first
    assert stored_pages("catalog") == 1


def test_a_page_is_keyed_by_the_parameters_it_reads_sorted_first_value_only():
    UserFactory.create_batch(3)
    client = Client()
    client.get("/api/leaderboard", {"limit": 2, "offset": 1})
    client.get("/api/leaderboard?offset=1&junk=1&limit=2")
    client.get("/api/leaderboard?offset=1&limit=2&limit=50")  # nginx's $arg_limit is the first
    assert stored_pages("leaderboard") == 1
    client.get("/api/leaderboard", {"limit": 3, "offset": 1})
    assert stored_pages("leaderboard") == 2


def test_the_view_sees_only_the_parameters_of_its_key():
    response = Client().get("/api/leaderboard?limit=1&limit=7&offset=0")
    assert response.json()["limit"] == 1


def test_the_edge_keys_on_exactly_the_parameters_cached_pages_read():
    import config.urls  # noqa: F401  (every view module, so every decorator has run)

    assert set(EDGE_QUERY_PARAMETERS) == page_cache.QUERY_PARAMETERS


@pytest.fixture
def pages_and_counters_apart(settings):
    """The deployment the settings describe: pages on a small Redis that evicts, counters and
    sessions on one that never does."""
    pages = OwnRedis("--maxmemory", "1mb", "--maxmemory-policy", "allkeys-lru")
    counters = OwnRedis("--maxmemory-policy", "noeviction")
    for server in (pages, counters):
        server.start()
    # Through the `settings` fixture (see tests/redis_server.py): undone with the test's own.
    settings.CACHES = caches_on({"default": pages, "counters": counters}, settings)
    try:
        yield pages, counters
    finally:
        for alias in ("default", "counters"):
            caches[alias].close()
        for server in (pages, counters):
            server.kill()


def test_a_flood_of_distinct_pages_evicts_pages_never_throttles_or_sessions(
    pages_and_counters_apart, settings
):
    pages, counters = pages_and_counters_apart
    settings.LOGIN_FAILURES_PER_ACCOUNT = (3, 900)
    LessonFactory(title="Storage and memory", body="Where a contract keeps its state.")
    learner, victim = UserFactory(), UserFactory()
    signed_in = Client()
    signed_in.post("/accounts/login/", {"username": learner.username, "password": PASSWORD})
    for _ in range(3):
        Client().post("/accounts/login/", {"username": victim.username, "password": "wrong"})

    visitor = Client()
    for n in range(400):  # distinct searches: each a page of its own, over 1 MB in all
        assert (
            visitor.get("/search/", {"q": f"storage {n} {uuid.uuid4().hex[:8]}"}).status_code == 200
        )

    assert int(pages.client().info("stats")["evicted_keys"]) > 0  # the flood was real
    assert int(counters.client().info("stats")["evicted_keys"]) == 0
    locked_out = Client().post(
        "/accounts/login/", {"username": victim.username, "password": PASSWORD}
    )
    assert locked_out.status_code == 429
    session_key = signed_in.cookies["sessionid"].value
    assert counters.client().exists(
        caches["counters"].make_key(f"django.contrib.sessions.cached_db{session_key}")
    )
    assert signed_in.get("/accounts/password/").status_code == 200
