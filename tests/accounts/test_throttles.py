"""Login and signup throttles, safe redirects, session rotation and logout."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"


@pytest.fixture
def tight_limits(settings):
    settings.LOGIN_FAILURES_PER_IP = (6, 900)
    settings.LOGIN_FAILURES_PER_ACCOUNT = (3, 900)
    settings.SIGNUPS_PER_IP = (4, 3600)
    settings.SIGNUPS_PER_EMAIL = (2, 3600)


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, pinned 10 s into a window and moved by hand."""
    now = {"t": 1_800_000_010.0}
    monkeypatch.setattr("core.throttle._now", lambda: now["t"])
    return now


def fail_login(client, username, *, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def signup_data(n, *, email=None):
    return {
        "username": f"newbie{n}",
        "email": email or f"newbie{n}@example.com",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
    }


@pytest.mark.usefixtures("tight_limits", "clock")
def test_an_account_is_throttled_after_repeated_failures_even_with_the_right_password(
    client, learner, password
):
    for _ in range(3):
        assert fail_login(client, learner.username).status_code == 200
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("tight_limits")
def test_the_account_throttle_releases_itself_when_its_window_ends(
    client, learner, password, clock
):
    for _ in range(3):
        fail_login(client, learner.username)
    clock["t"] += 900
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


@pytest.mark.usefixtures("tight_limits", "clock")
def test_the_account_throttle_ignores_the_case_of_the_username(client, learner, password):
    for name in (learner.username.upper(), learner.username.title(), learner.username):
        fail_login(client, name)
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 429


@pytest.mark.usefixtures("tight_limits", "clock")
def test_one_address_guessing_many_accounts_is_throttled(client, password):
    for n in range(6):
        fail_login(client, f"nobody{n}")
    victim = UserFactory()
    response = client.post(
        LOGIN, {"username": victim.username, "password": password}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    other_address = client.post(
        LOGIN, {"username": victim.username, "password": password}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302


@pytest.mark.usefixtures("tight_limits", "clock")
def test_a_successful_login_clears_the_accounts_failures(client, learner, password):
    for _ in range(2):
        fail_login(client, learner.username)
    assert client.post(LOGIN, {"username": learner.username, "password": password}).status_code
    client.post(reverse("accounts:logout"))
    for _ in range(2):
        fail_login(client, learner.username)
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 302


@pytest.mark.usefixtures("tight_limits", "clock")
def test_the_admin_login_is_throttled_too(client):
    staff = UserFactory(is_staff=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": staff.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": staff.username, "password": "wrong"})
    assert "Too many failed log-in attempts" in response.content.decode()


@pytest.mark.usefixtures("tight_limits", "clock")
def test_signups_are_throttled_per_address(client):
    for n in range(4):
        assert client.post(SIGNUP, signup_data(n)).status_code == 302
        client.post(reverse("accounts:logout"))
    response = client.post(SIGNUP, signup_data(99))
    assert response.status_code == 429
    assert "Too many sign-up attempts" in response.content.decode()
    assert not User.objects.filter(username="newbie99").exists()
    assert client.post(SIGNUP, signup_data(98), REMOTE_ADDR="10.9.9.9").status_code == 302


@pytest.mark.usefixtures("tight_limits")
def test_probing_one_email_address_is_throttled_and_released(client, clock):
    UserFactory(email="taken@example.com")
    for n in range(2):
        data = signup_data(n, email="Taken@Example.com")
        assert client.post(SIGNUP, data, REMOTE_ADDR=f"10.1.0.{n}").status_code == 200
    response = client.post(
        SIGNUP, signup_data(5, email="taken@example.com"), REMOTE_ADDR="10.2.0.1"
    )
    assert response.status_code == 429
    clock["t"] += 3600
    response = client.post(
        SIGNUP, signup_data(6, email="taken@example.com"), REMOTE_ADDR="10.3.0.1"
    )
    assert response.status_code == 200 and "already exists" in response.content.decode()


@pytest.mark.usefixtures("clock")
def test_throttles_keep_counting_in_process_memory_when_redis_goes_away(
    client, learner, password, own_redis, settings
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = (2, 900)
    own_redis.kill()
    for _ in range(2):
        assert fail_login(client, learner.username).status_code == 200
    # The breaker sent the counting to this process's memory: a looser limit, but a limit.
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("clock")
def test_a_throttle_whose_cache_raises_unexpectedly_lets_the_attempt_through(
    client, learner, password, monkeypatch
):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise RuntimeError("not a connection error: the breaker does not catch it")

    monkeypatch.setattr(caches["counters"], "get", broken)
    monkeypatch.setattr(caches["counters"], "incr", broken)
    # Throttling must never take the login page down with it.
    assert fail_login(client, learner.username).status_code == 200
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "\\\\evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_login_never_redirects_off_the_site(client, learner, password, target):
    response = client.post(
        LOGIN + "?next=x", {"username": learner.username, "password": password, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_login_follows_a_next_on_this_site(client, learner, password):
    response = client.post(
        LOGIN, {"username": learner.username, "password": password, "next": "/rooms/?x=1"}
    )
    assert response["Location"] == "/rooms/?x=1"


def test_logging_in_gives_a_fresh_session_key(client, learner, password):
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    client.post(LOGIN, {"username": learner.username, "password": password})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_signing_in_names_the_learner_in_a_cookie_and_signing_out_clears_it(
    client, learner, password
):
    client.post(LOGIN, {"username": learner.username, "password": password})
    named = client.cookies[settings.LEARNER_COOKIE]
    assert named.value == str(learner.pk) and named["httponly"] and named["samesite"] == "Lax"
    client.post(reverse("accounts:logout"))
    assert client.cookies[settings.LEARNER_COOKIE].value == ""  # deleted
    assert "learner · L" not in client.get("/courses/").content.decode()


def test_signing_up_gives_a_fresh_session_key(client):
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    client.post(SIGNUP, signup_data(1))
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_logging_out_by_get_is_refused_and_keeps_the_session(learner_client):
    assert learner_client.get(reverse("accounts:logout")).status_code == 405
    assert learner_client.session["_auth_user_id"] == str(learner_client.learner.pk)


def test_a_megabyte_password_is_refused_before_hashing(client, learner):
    response = client.post(LOGIN, {"username": learner.username, "password": "p" * 1_000_000})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]


@pytest.mark.usefixtures("tight_limits", "clock")
def test_guessing_the_current_password_on_the_change_form_is_throttled(learner_client, password):
    url = reverse("accounts:password_change")
    new = {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"}
    for _ in range(3):
        response = learner_client.post(url, {"old_password": "guess", **new})
        assert response.status_code == 200
    response = learner_client.post(url, {"old_password": password, **new})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    assert "Too many failed log-in attempts" in response.content.decode()
    learner_client.learner.refresh_from_db()
    assert learner_client.learner.check_password(password)  # unchanged


@pytest.mark.usefixtures("tight_limits", "clock")
def test_the_change_forms_failures_count_against_logging_in_too(client, learner, password):
    changer = Client()
    changer.force_login(learner)
    url = reverse("accounts:password_change")
    for _ in range(3):
        changer.post(url, {"old_password": "guess", "new_password1": "x", "new_password2": "x"})
    response = client.post(LOGIN, {"username": learner.username, "password": password})
    assert response.status_code == 429
