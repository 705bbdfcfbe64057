"""The header's personal part: who is signed in, with their level and XP, or how to sign in."""

from django.urls import reverse
from django.utils.html import format_html

from accounts.backends import USERS
from core.personal import csrf_token, fragment, learner_entries


@learner_entries
def learner_row(user_id):
    return [(USERS, user_id)]


@fragment("account")
def account(request):
    user = request.user
    if not user.is_authenticated:
        return format_html(
            '<a href="{}">Log in</a>\n<a href="{}" class="button">Sign up</a>',
            reverse("accounts:login"),
            reverse("accounts:signup"),
        )
    return format_html(
        '<a href="{}" class="me">{} · L{} · {} XP</a>\n'
        '<form method="post" action="{}" class="inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="link">Log out</button></form>',
        reverse("leaderboard:profile", args=[user.username]),
        user.username,
        user.level,
        user.xp,
        reverse("accounts:logout"),
        csrf_token(request),
    )


@fragment("signup_invite")
def signup_invite(request):
    if request.user.is_authenticated:
        return ""
    return format_html('<a href="{}">or create an account</a>', reverse("accounts:signup"))
