"""The header's personal part: who is signed in, with their level and XP, or how to sign in."""

from functools import lru_cache

from django.urls import reverse
from django.utils.html import format_html

from accounts.backends import USERS
from core.personal import csrf_field, fragment, learner_entries


@learner_entries
def learner_row(user_id):
    return [(USERS, user_id)]


@lru_cache(maxsize=1)
def _visitor_links() -> str:
    return format_html(
        '<a href="{}">Log in</a>\n<a href="{}" class="button">Sign up</a>',
        reverse("accounts:login"),
        reverse("accounts:signup"),
    )


@lru_cache(maxsize=1)
def _logout_url() -> str:
    return reverse("accounts:logout")


@lru_cache(maxsize=4096)
def _profile_url(username) -> str:
    return reverse("leaderboard:profile", args=[username])


@fragment("account")
def account(reader):
    user = reader.user
    if not user.is_authenticated:
        return _visitor_links()
    return format_html(
        '<a href="{}" class="me">{} · L{} · {} XP</a>\n'
        '<form method="post" action="{}" class="inline">{}'
        '<button type="submit" class="link">Log out</button></form>',
        _profile_url(user.username),
        user.username,
        user.level,
        user.xp,
        _logout_url(),
        csrf_field(reader),
    )


@fragment("signup_invite")
def signup_invite(reader):
    if reader.user.is_authenticated:
        return ""
    return format_html('<a href="{}">or create an account</a>', reverse("accounts:signup"))
