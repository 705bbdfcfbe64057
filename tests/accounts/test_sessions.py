"""Revoking sessions on every process, with Redis answering or not: a Redis of the test's own
that pauses (timeouts open the circuit breaker) and keeps its data, as a busy Redis does."""

import time

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import soft_delete_user
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE = reverse("accounts:password_change")  # 200 signed in, a redirect to log in otherwise


def signed_in(learner) -> Client:
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": learner.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def cookie_of(client: Client) -> str:
    return client.cookies["sessionid"].value


def with_cookie(session_key: str) -> Client:
    """Another browser, or another process, presenting this session cookie."""
    client = Client()
    client.cookies["sessionid"] = session_key
    return client


def stored_in_redis(own_redis, session_key: str) -> bool:
    key = caches["counters"].make_key(f"django.contrib.sessions.cached_db{session_key}")
    return bool(own_redis.client().exists(key))


def wait_for_redis_and_the_breaker(own_redis):
    time.sleep(1.7)  # the pause (1.5 s) ends; BREAKER_RESET_SECONDS is 1 in own_redis
    own_redis.client().ping()


def test_logout_while_redis_times_out_ends_the_session_on_every_process(own_redis):
    learner = UserFactory()
    browser = signed_in(learner)
    session_key = cookie_of(browser)
    assert with_cookie(session_key).get(PRIVATE).status_code == 200

    own_redis.pause(1.5)
    assert browser.post(reverse("accounts:logout")).status_code == 302
    assert not caches["counters"].redis_available  # the delete went to process memory
    wait_for_redis_and_the_breaker(own_redis)

    # Redis still holds the session: a process reading it from there must refuse it anyway.
    assert stored_in_redis(own_redis, session_key)
    assert with_cookie(session_key).get(PRIVATE).status_code == 302
    assert caches["counters"].redis_available


def test_logout_with_redis_answering_leaves_the_learners_other_sessions_alone(own_redis):
    learner = UserFactory()
    laptop, phone = signed_in(learner), signed_in(learner)
    laptop_key = cookie_of(laptop)

    assert laptop.post(reverse("accounts:logout")).status_code == 302

    assert not stored_in_redis(own_redis, laptop_key)
    assert with_cookie(laptop_key).get(PRIVATE).status_code == 302
    assert phone.get(PRIVATE).status_code == 200
    assert User.objects.get(pk=learner.pk).session_generation == 0


def test_a_password_change_while_redis_times_out_ends_the_other_sessions(own_redis):
    learner = UserFactory()
    laptop, phone = signed_in(learner), signed_in(learner)
    phone_key = cookie_of(phone)

    own_redis.pause(1.5)
    response = laptop.post(
        PRIVATE,
        {"old_password": PASSWORD, "new_password1": "another-long-pass-phrase",
         "new_password2": "another-long-pass-phrase"},
    )  # fmt: skip
    assert response.status_code == 302
    wait_for_redis_and_the_breaker(own_redis)

    assert stored_in_redis(own_redis, phone_key)
    assert with_cookie(phone_key).get(PRIVATE).status_code == 302
    assert laptop.get(PRIVATE).status_code == 200  # the session that changed it stays


def test_a_deleted_learners_sessions_are_refused_though_redis_still_holds_them(own_redis):
    learner = UserFactory()
    session_key = cookie_of(signed_in(learner))

    soft_delete_user(user=learner)

    assert stored_in_redis(own_redis, session_key)
    assert with_cookie(session_key).get(PRIVATE).status_code == 302


def test_generation_zero_hashes_as_django_does_so_no_one_is_signed_out_by_a_deploy():
    learner = UserFactory()
    assert learner.session_generation == 0
    assert learner.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(learner)
    learner.session_generation = 1
    assert learner.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(learner)
