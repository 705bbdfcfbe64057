from datetime import timedelta
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.backends import changed
from accounts.levels import level_sql
from accounts.models import User


class Standing(NamedTuple):
    xp: int
    level: int


def award_xp(*, user_id: int, amount: int) -> Standing | None:
    """Adds XP and sets the matching level in one UPDATE computed from the row itself, so
    concurrent awards never lose each other and the level always follows the XP. Returns the
    learner's XP and level after it (None when there is no such learner)."""
    if amount < 0:
        raise ValueError("XP awards are never negative")
    sql, uses_of_amount = _award_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(amount)] * uses_of_amount + [user_id])
        row = cursor.fetchone()
    changed(user_id)
    return Standing(*row) if row else None


@cache
def _award_sql() -> tuple[str, int]:
    """The UPDATE, written once per process: the same statement as a QuerySet.update() with a
    Case() of the levels, whose expression tree Django would resolve and copy anew for every
    award, which made it the most expensive part of completing a lesson."""
    quote = connection.ops.quote_name
    xp = quote("xp")
    new_xp = f"({xp} + %s)"
    sql = (
        f"UPDATE {quote(User._meta.db_table)} SET {xp} = {new_xp}, "
        f"{quote('level')} = {level_sql(new_xp)} WHERE {quote('id')} = %s "
        f"RETURNING {xp}, {quote('level')}"
    )
    return sql, sql.count("%s") - 1


def touch_last_active(*, user: User, now=None) -> bool:
    """Records activity at most once per interval, so a busy learner costs no write per request."""
    now = now or timezone.now()
    interval = timedelta(seconds=settings.LAST_ACTIVE_WRITE_INTERVAL_SECONDS)
    if user.last_active_at and now - user.last_active_at < interval:
        return False
    User.objects.filter(pk=user.pk).update(last_active_at=now)
    changed(user.pk)
    user.last_active_at = now
    return True


@transaction.atomic
def soft_delete_user(*, user: User) -> None:
    """Hides the learner everywhere and frees the email; their history stays for the counts."""
    user.deleted_at = timezone.now()
    user.is_active = False
    user.save(update_fields=["deleted_at", "is_active"])


def revoke_sessions(*, user_id) -> None:
    """Ends every session of this learner on every process, including copies a cache still
    holds: the session auth hash changes with the generation (accounts.models.User)."""
    User.objects.filter(pk=user_id).update(session_generation=F("session_generation") + 1)
    changed(user_id)


def open_session(user: User) -> str:
    """A signed-in session for this learner, as django.contrib.auth.login() makes one, minus the
    password check only a sign-in needs: the session key a returning learner's cookie carries.
    For benchmarks and load tests that need many signed-in learners at once."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # as a sign-in names it
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def create_learner(*, username: str, email: str, password: str) -> User:
    user = User.objects.create_user(
        username=username, email=email, password=password, last_active_at=timezone.now()
    )
    return user


def set_avatar(*, user: User, upload) -> None:
    """Stores the new avatar; saving it queues its WebP and AVIF variants (accounts.apps)."""
    user.avatar = upload
    user.save(update_fields=["avatar"])
