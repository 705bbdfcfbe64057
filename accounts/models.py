from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Upper
from django.utils.crypto import salted_hmac

from accounts.levels import xp_for_level
from core.images.validation import validate_image
from core.queries import ListingQuerySet


class UserQuerySet(ListingQuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def active_since(self, since):
        return self.live().filter(last_active_at__gte=since)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    email = models.EmailField("email address", blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True, validators=[validate_image])
    # The WebP and AVIF variants of `avatar` (see core.images.variants), written by a Celery task.
    avatar_variants = models.JSONField(default=dict, db_default={}, blank=True, editable=False)
    xp = models.PositiveIntegerField(default=0)
    level = models.PositiveIntegerField(default=1)
    last_active_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Part of the session auth hash: bumping it revokes every session of this learner on every
    # process, whatever a cache still holds (accounts/sessions.py).
    session_generation = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "email",
                condition=Q(deleted_at__isnull=True) & ~Q(email=""),
                name="user_email_unique_live",
            ),
        ]
        indexes = [
            # The leaderboard order over live users; last_active_at rides along so that the
            # board's window filter and a learner's rank (a count of those ahead) are answered
            # from the index alone.
            models.Index(
                fields=["-xp", "-level", "date_joined", "id"],
                include=["last_active_at"],
                name="user_leaderboard_live",
                condition=Q(deleted_at__isnull=True),
            ),
            models.Index(
                "last_active_at", name="user_last_active_live", condition=Q(deleted_at__isnull=True)
            ),
            # The admin: its changelist (newest first) and its prefix searches, which Django
            # writes as UPPER("username"::text) LIKE UPPER('abc%'). text_pattern_ops lets LIKE
            # use the index whatever the database's collation. PostgreSQL only (the migration
            # skips them elsewhere).
            models.Index(F("date_joined").desc(), F("id").desc(), name="user_joined"),
            models.Index(
                OpClass(Upper(Cast("username", models.TextField())), name="text_pattern_ops"),
                name="user_username_prefix",
            ),
            models.Index(
                OpClass(Upper(Cast("email", models.TextField())), name="text_pattern_ops"),
                name="user_email_prefix",
            ),
        ]

    def __str__(self):
        return self.username

    @property
    def xp_into_level(self):
        return self.xp - xp_for_level(self.level)

    @property
    def xp_for_next_level(self):
        return xp_for_level(self.level + 1)

    @property
    def level_progress_percent(self):
        span = xp_for_level(self.level + 1) - xp_for_level(self.level)
        return min(100, round(100 * self.xp_into_level / span)) if span else 100

    def _get_session_auth_hash(self, secret=None):
        # Django's own hash (same salt, same HMAC), with the generation mixed in once it is
        # bumped: at generation 0 existing sessions stay valid.
        value = self.password
        if self.session_generation:
            value = f"{value}\x00{self.session_generation}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()
