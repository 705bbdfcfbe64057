from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.levels import LEVEL_STEP, LEVEL_THRESHOLDS, level_for_xp
from accounts.services import award_xp, touch_last_active
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_award_xp_adds_xp_and_keeps_the_level_in_line(django_assert_num_queries):
    user = UserFactory(xp=90, level=1)
    with django_assert_num_queries(1):
        standing = award_xp(user_id=user.pk, amount=15)
    user.refresh_from_db()
    assert (user.xp, user.level) == standing == (105, 2)


def test_the_sql_level_matches_the_python_level_at_every_threshold():
    edges = sorted({0, 1} | {t + d for t in LEVEL_THRESHOLDS for d in (-1, 0, 1)} | {
        LEVEL_THRESHOLDS[-1] + LEVEL_STEP * k + d for k in range(1, 4) for d in (-1, 0, 1)
    })  # fmt: skip
    users = [UserFactory(xp=0) for _ in edges]
    returned = [
        award_xp(user_id=u.pk, amount=max(xp, 0)) for u, xp in zip(users, edges, strict=True)
    ]
    for user, xp, standing in zip(users, edges, returned, strict=True):
        user.refresh_from_db()
        assert (user.xp, user.level) == standing == (max(xp, 0), level_for_xp(xp)), xp


def test_award_xp_refuses_negative_amounts():
    user = UserFactory()
    with pytest.raises(ValueError):
        award_xp(user_id=user.pk, amount=-1)


def test_last_active_is_written_at_most_once_per_interval(django_assert_num_queries):
    now = timezone.now()
    user = UserFactory(last_active_at=now - timedelta(hours=1))
    with django_assert_num_queries(1):
        assert touch_last_active(user=user, now=now)
    with django_assert_num_queries(0):
        assert not touch_last_active(user=user, now=now + timedelta(seconds=30))
    user.refresh_from_db()
    assert user.last_active_at == now


def test_an_opened_session_signs_the_learner_in(client, settings):
    from accounts.services import open_session

    learner = UserFactory()
    client.cookies[settings.SESSION_COOKIE_NAME] = open_session(learner)
    assert client.get("/accounts/password/").status_code == 200
    assert learner.username in client.get("/").content.decode()


def _with_older_session(client, settings):
    """A learner whose browser carries a session naming Django's ModelBackend, as sessions
    opened before the cached backend do; returns the learner and the session's stored data."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.middleware import OLDER_BACKEND

    learner = UserFactory(last_active_at=timezone.now())
    store = import_module(settings.SESSION_ENGINE).SessionStore
    older = store()
    older[SESSION_KEY] = str(learner.pk)
    older[BACKEND_SESSION_KEY] = OLDER_BACKEND
    older[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    older.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = older.session_key
    return learner, lambda: store(older.session_key).load()


def test_a_session_naming_djangos_model_backend_moves_to_the_cached_one(
    client, settings, django_assert_num_queries
):
    from django.contrib.auth import BACKEND_SESSION_KEY

    from accounts.middleware import CACHED_BACKEND

    learner, stored = _with_older_session(client, settings)
    assert learner.username in client.get("/").content.decode()  # still signed in
    assert stored()[BACKEND_SESSION_KEY] == CACHED_BACKEND
    with django_assert_num_queries(0):  # the row now comes from the cache
        assert learner.username in client.get("/").content.decode()


def test_an_older_session_stays_as_it_is_where_the_cached_backend_is_not_listed(client, settings):
    from django.contrib.auth import BACKEND_SESSION_KEY

    from accounts.middleware import OLDER_BACKEND

    settings.AUTHENTICATION_BACKENDS = [OLDER_BACKEND]
    learner, stored = _with_older_session(client, settings)
    assert learner.username in client.get("/").content.decode()  # still signed in
    assert learner.username in client.get("/").content.decode()
    assert stored()[BACKEND_SESSION_KEY] == OLDER_BACKEND


def test_a_shared_page_answered_to_a_learner_does_not_read_their_session(client):
    # Reading it would add "Vary: Cookie", and the edge could no longer share the answer.
    client.force_login(UserFactory())
    response = client.get("/api/courses")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")


def test_an_opened_session_names_the_backend_a_sign_in_names(settings):
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY

    from accounts.services import open_session

    key = open_session(UserFactory())
    stored = import_module(settings.SESSION_ENGINE).SessionStore(key).load()
    assert stored[BACKEND_SESSION_KEY] == settings.AUTHENTICATION_BACKENDS[0]
