"""Security headers, the production settings, and what the templates may contain under the CSP."""

import re
import runpy
import secrets

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import LessonFactory, RoomFactory

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = settings.BASE_DIR / "templates"


def production_settings(monkeypatch, **extra):
    """The settings module as production would load it (read fresh, not the test overrides)."""
    environment = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "learn.example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))


def test_every_page_sends_a_content_security_policy_without_unsafe_sources(client):
    room = RoomFactory()
    for url in ["/", "/courses/", room.get_absolute_url(), "/accounts/login/", "/api/courses"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
        assert "unsafe" not in directives["script-src"] and "unsafe-eval" not in policy
        # Only styles may be inline: the editor injects its theme (see SECURE_CSP).
        assert directives["style-src"] == "'self' 'unsafe-inline'"


def test_pages_send_the_other_security_headers(client):
    response = client.get("/courses/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_page_served_from_the_page_cache_still_carries_the_policy(client):
    client.get("/courses/")
    replay = client.get("/courses/")
    assert "default-src 'self'" in replay["Content-Security-Policy"]


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    offenders = []
    for path in TEMPLATES_DIR.rglob("*.html"):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",  # a script element with code in it
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",  # onclick=, onload=, ...
            r"\shx-on",  # htmx evaluates these like eval()
            r"javascript:",
        ):
            offenders += [f"{path.name}: {m}" for m in re.findall(pattern, text, re.IGNORECASE)]
    assert offenders == []


def test_htmx_is_configured_to_need_neither_eval_nor_inline_styles(client):
    body = client.get("/").content.decode()
    assert '"allowEval": false' in body and '"includeIndicatorStyles": false' in body


def test_the_room_page_resets_the_chat_box_from_a_script_file(learner_client):
    body = learner_client.get(RoomFactory().get_absolute_url()).content.decode()
    assert "data-reset-on-success" in body
    assert re.search(r'<script src="/static/js/room(\.[0-9a-f]{12})?\.js" defer>', body)
    assert (settings.BASE_DIR / "static" / "js" / "room.js").exists()


def test_the_lesson_page_passes_the_policy_check_too(client):
    lesson = LessonFactory()
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_production_settings_hash_with_argon2_first(monkeypatch):
    production = production_settings(monkeypatch)
    assert production["PASSWORD_HASHERS"][0] == "accounts.hashers.Argon2PasswordHasher"
    assert {v["NAME"].rsplit(".", 1)[1] for v in production["AUTH_PASSWORD_VALIDATORS"]} == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


def test_argon2_is_installed_and_hashes_with_owasps_parameters(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = ["accounts.hashers.Argon2PasswordHasher"]
    hashed = make_password("a-long-unusual-passphrase")
    assert hashed.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("a-long-unusual-passphrase", hashed)


def test_a_hash_with_djangos_default_argon2_parameters_verifies_and_is_rehashed(settings):
    from django.contrib.auth.hashers import (
        Argon2PasswordHasher,
        check_password,
        make_password,
    )

    settings.PASSWORD_HASHERS = [
        "accounts.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    older = make_password("a-long-unusual-passphrase", hasher=Argon2PasswordHasher())
    assert "$m=102400,t=2,p=8$" in older
    rehashed = []
    assert check_password("a-long-unusual-passphrase", older, setter=rehashed.append)
    assert rehashed == ["a-long-unusual-passphrase"]  # Django re-hashes it at this sign-in
    assert not check_password("another-passphrase", older)


def test_production_settings_secure_the_cookies_and_the_transport(monkeypatch):
    production = production_settings(monkeypatch)
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_SSL_REDIRECT"]
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]
    assert production["SECURE_CSP"]["upgrade-insecure-requests"] is True


@pytest.fixture
def production_transport(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$"]
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.mark.usefixtures("production_transport")
def test_plain_http_is_redirected_to_https_unless_the_proxy_says_https(client):
    plain = client.get("/courses/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/courses/"
    proxied = client.get("/courses/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.usefixtures("production_transport")
def test_the_health_probe_is_never_redirected(client):
    assert client.get("/health").status_code == 200


@pytest.mark.usefixtures("production_transport")
def test_cookies_are_secure_httponly_and_samesite_over_https(client, learner, password):
    response = client.post(
        reverse("accounts:login"),
        {"username": learner.username, "password": password},
        headers={"X-Forwarded-Proto": "https"},
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_a_body_past_the_limit_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    response = client.post(
        "/api/compile", data=b"x" * 2048, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_a_malformed_content_length_is_a_400(client):
    response = client.post("/api/compile", data=b"{}", content_type="application/json",
                           CONTENT_LENGTH="twelve")  # fmt: skip
    assert response.status_code == 400


def test_every_form_field_has_a_length_limit():
    from django import forms as django_forms

    from accounts.forms import LoginForm, PasswordChangeForm, SignupForm
    from collaboration.forms import CodeForm, MessageForm, RoomForm
    from courses.forms import SolutionForm
    from tests.factories import UserFactory

    user = UserFactory.build()
    for form in [
        LoginForm(),
        SignupForm(),
        PasswordChangeForm(user),
        CodeForm(),
        MessageForm(),
        RoomForm(),
        SolutionForm(),
    ]:
        for name, field in form.fields.items():
            if isinstance(field, django_forms.CharField):
                assert field.max_length, f"{type(form).__name__}.{name} has no max_length"


def test_a_head_request_gets_a_pages_headers_without_its_body(client):
    response = client.head("/courses/")
    assert response.status_code == 200
    assert response.content == b""
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_policy_header_is_djangos_for_the_settings_of_the_moment(client, settings, rf):
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware as Djangos
    from django.utils.csp import CSP, build_policy

    from core.middleware import ContentSecurityPolicyMiddleware as Ours

    assert client.get("/health")["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    settings.SECURE_CSP = {"default-src": [CSP.SELF], "img-src": [CSP.SELF, "data:"]}
    assert (
        client.get("/health")["Content-Security-Policy"]
        == "default-src 'self'; img-src 'self' data:"
    )

    # A policy naming the nonce: the nonce of each response that used one, as Django sends it.
    settings.SECURE_CSP = {"script-src": [CSP.SELF, CSP.NONCE]}
    ours, djangos = Ours(lambda request: HttpResponse()), Djangos(lambda request: HttpResponse())
    headers = []
    for used in (True, True, False):
        request = rf.get("/")
        ours.process_request(request)
        if used:
            str(request._csp_nonce)  # a template used it
        headers.append(
            (
                ours.process_response(request, HttpResponse())["Content-Security-Policy"],
                djangos.process_response(request, HttpResponse())["Content-Security-Policy"],
            )
        )
    assert all(mine == django for mine, django in headers)
    assert headers[0][0] != headers[1][0] and "'nonce-" in headers[0][0]
    assert headers[2][0] == "script-src 'self'"
