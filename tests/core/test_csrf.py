"""core.csrf.masked_token: tokens Django's own middleware accepts, masked afresh each time."""

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_TOKEN_LENGTH, _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from core.csrf import masked_token
from tests.factories import CourseFactory, LessonFactory, UserFactory

SECRET = "abcdefghijABCDEFGHIJ0123456789zZ"


def test_a_token_unmasks_to_the_requests_secret_and_each_is_masked_afresh():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    tokens = {masked_token(request) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_every_character_of_the_mask_is_drawn_evenly():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    counts = dict.fromkeys(CSRF_ALLOWED_CHARS, 0)
    for _ in range(2000):
        for char in masked_token(request)[:32]:
            counts[char] += 1
    expected = 2000 * 32 / len(CSRF_ALLOWED_CHARS)  # ~1,032 each
    assert all(0.8 * expected < count < 1.2 * expected for count in counts.values()), counts


def test_without_a_secret_django_makes_one():
    request = RequestFactory().get("/")
    token = masked_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]


@pytest.mark.django_db
def test_djangos_middleware_accepts_the_token_a_stored_page_carries():
    LessonFactory(course=CourseFactory(slug="shared"), slug="read")
    learner = Client(enforce_csrf_checks=True)
    learner.force_login(UserFactory())
    page = learner.get("/courses/shared/read/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    url = reverse("courses:complete", args=["shared", "read"])
    assert learner.post(url, {"csrfmiddlewaretoken": token[::-1]}).status_code == 403
    assert learner.post(url, {"csrfmiddlewaretoken": token}).status_code == 302


@pytest.mark.django_db
def test_the_cookie_is_set_once_not_again_with_every_page_that_has_a_form():
    LessonFactory(course=CourseFactory(slug="shared"), slug="read")
    learner = Client(enforce_csrf_checks=True)
    learner.force_login(UserFactory())
    first = learner.get("/courses/shared/read/")
    again = learner.get("/courses/shared/read/")

    assert "csrftoken" in first.cookies  # the browser had none
    assert "csrftoken" not in again.cookies  # it holds this one: not sent again
    token = again.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert _unmask_cipher_token(token) == learner.cookies["csrftoken"].value
    url = reverse("courses:complete", args=["shared", "read"])
    assert learner.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
