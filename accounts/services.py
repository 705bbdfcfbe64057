from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.levels import level_expression
from accounts.models import User


def award_xp(*, user_id: int, amount: int) -> None:
    """Adds XP and sets the matching level in one UPDATE computed from the row itself, so
    concurrent awards never lose each other and the level always follows the XP."""
    if amount < 0:
        raise ValueError("XP awards are never negative")
    new_xp = F("xp") + amount
    User.objects.filter(pk=user_id).update(xp=new_xp, level=level_expression(new_xp))


def touch_last_active(*, user: User, now=None) -> bool:
    """Records activity at most once per interval, so a busy learner costs no write per request."""
    now = now or timezone.now()
    interval = timedelta(seconds=settings.LAST_ACTIVE_WRITE_INTERVAL_SECONDS)
    if user.last_active_at and now - user.last_active_at < interval:
        return False
    User.objects.filter(pk=user.pk).update(last_active_at=now)
    user.last_active_at = now
    return True


@transaction.atomic
def soft_delete_user(*, user: User) -> None:
    """Hides the learner everywhere and frees the email; their history stays for the counts."""
    user.deleted_at = timezone.now()
    user.is_active = False
    user.save(update_fields=["deleted_at", "is_active"])


def create_learner(*, username: str, email: str, password: str) -> User:
    user = User.objects.create_user(
        username=username, email=email, password=password, last_active_at=timezone.now()
    )
    return user


def set_avatar(*, user: User, upload) -> None:
    """Stores the new avatar; saving it queues its WebP and AVIF variants (accounts.apps)."""
    user.avatar = upload
    user.save(update_fields=["avatar"])
