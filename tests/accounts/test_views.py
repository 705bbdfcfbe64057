import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_creates_a_learner_and_logs_them_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "email": "Newbie@Example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert user.last_active_at is not None
    assert client.get(reverse("courses:catalog")).wsgi_request.user == user


def test_signup_refuses_an_email_already_in_use(client):
    UserFactory(email="taken@example.com")
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "other",
            "email": "TAKEN@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(username="other").exists()


def test_an_email_is_free_again_once_its_owner_is_deleted(client):
    from accounts.services import soft_delete_user

    soft_delete_user(user=UserFactory(email="gone@example.com"))
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "reborn",
            "email": "gone@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "", "email": "a@example.com"}, "username"),
        ({"username": "bad name!", "email": "a@example.com"}, "username"),
        ({"username": "fine", "email": "not-an-email"}, "email"),
        ({"username": "fine", "email": "a@example.com", "password2": "different"}, "password2"),
        ({"username": "fine", "email": "a@example.com", "password1": "123", "password2": "123"},
         "password2"),
        ({"username": "x" * 200, "email": "a@example.com"}, "username"),
    ],
)  # fmt: skip
def test_signup_shows_form_errors_for_bad_input(client, data, field):
    payload = {"password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"}
    response = client.post(reverse("accounts:signup"), {**payload, **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.count() == 0


def test_login_with_the_right_password_redirects_to_next(client, learner, password):
    response = client.post(
        reverse("accounts:login") + "?next=/leaderboard/",
        {"username": learner.username, "password": password, "next": "/leaderboard/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/leaderboard/"


def test_login_with_a_wrong_password_shows_an_error(client, learner):
    response = client.post(
        reverse("accounts:login"), {"username": learner.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_login_refuses_a_redirect_to_another_site(client, learner, password):
    response = client.post(
        reverse("accounts:login"),
        {"username": learner.username, "password": password, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_logout_is_post_only(learner_client):
    assert learner_client.get(reverse("accounts:logout")).status_code == 405
    response = learner_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not learner_client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_password_change_needs_the_old_password(learner_client, password):
    url = reverse("accounts:password_change")
    bad = learner_client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "x-new-pass-123",
            "new_password2": "x-new-pass-123",
        },
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors["old_password"]
    good = learner_client.post(
        url,
        {
            "old_password": password,
            "new_password1": "x-new-pass-123",
            "new_password2": "x-new-pass-123",
        },
    )
    assert good.status_code == 302
    learner_client.learner.refresh_from_db()
    assert learner_client.learner.check_password("x-new-pass-123")


def test_password_change_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
