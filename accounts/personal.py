"""The header's personal part: who is signed in, with their level and XP, or how to sign in."""

from functools import lru_cache

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    return mark_safe(
        f'{_me_link(user.username, user.level, user.xp)}\n<form method="post" action="'
        f'{_logout_url()}" class="inline">{csrf_field(reader)}'
        '<button type="submit" class="link">Log out</button></form>'
    )


@lru_cache(maxsize=4096)
def _me_link(username, level, xp) -> str:
    """The header's link to the learner's profile, escaped once per learner and XP: every page
    of theirs shows it, and only their XP changes it."""
    return format_html(
        '<a href="{}" class="me">{} · L{} · {} XP</a>', _profile_url(username), username, level, xp
    )


@fragment("signup_invite")
def signup_invite(reader):
    if reader.user.is_authenticated:
        return ""
    return format_html('<a href="{}">or create an account</a>', reverse("accounts:signup"))
