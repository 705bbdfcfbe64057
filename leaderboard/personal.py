"""The learner's own place on the shared leaderboard and profile pages (core/personal.py)."""

from django.urls import reverse
from django.utils.html import format_html

from core.personal import Rewrite, fragment
from leaderboard import ranking


@fragment("my_rank")
def my_rank(reader):
    user = reader.user
    if not user.is_authenticated:
        return ""
    rank = ranking.cached_rank_of(user)
    if rank is None:
        return '<p class="status">Complete a lesson to join the leaderboard.</p>'
    return format_html(
        '<p class="status">Your rank: <strong>#{}</strong> with {} XP.</p>', rank, user.xp
    )


@fragment("my_row")
def my_row(reader):
    """Marks the learner's own row of the shared table, if it is on this page."""
    if not reader.user.is_authenticated:
        return ""
    row = f'<tr data-learner="{int(reader.user.pk)}">'.encode()
    return Rewrite("", row, row[:-1] + b' class="me">')


@fragment("own_account")
def own_account(reader, learner):
    if not reader.user.is_authenticated or reader.user.pk != learner:
        return ""
    return format_html(
        '<section>\n  <h2>Your account</h2>\n  <p><a href="{}">Change avatar</a> · '
        '<a href="{}">Change password</a></p>\n</section>',
        reverse("accounts:avatar"),
        reverse("accounts:password_change"),
    )
