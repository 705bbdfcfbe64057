from django.conf import settings
from django.db import models
from django.db.models import F

from core.queries import ListingQuerySet


class Achievement(models.Model):
    class Rule(models.TextChoices):
        FIRST_LESSON = "first_lesson", "First lesson completed"
        FIRST_COURSE = "first_course", "First course completed"
        XP_THRESHOLD = "xp_threshold", "XP reached"
        STREAK = "streak", "Lessons on consecutive days"
        FIRST_CHAT = "first_chat", "First chat message"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    xp_bonus = models.PositiveIntegerField(default=0)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    threshold = models.PositiveIntegerField(
        default=0, help_text="XP for an XP rule, days for a streak; unused otherwise."
    )

    class Meta:
        ordering = ["rule", "threshold", "code"]

    def __str__(self):
        return self.name


class UserAchievementQuerySet(ListingQuerySet):
    def newest_first(self):
        return self.order_by("-earned_at", "-id")

    def earned_by(self, user):
        return self.filter(user=user).select_related("achievement").newest_first().for_listing()


class UserAchievement(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="achievements"
    )
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="earned")
    earned_at = models.DateTimeField(auto_now_add=True)

    objects = UserAchievementQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "achievement", name="user_achievement_unique"),
        ]
        indexes = [
            models.Index("user", F("earned_at").desc(), name="user_achievement_earned"),
        ]

    def __str__(self):
        return f"{self.user} · {self.achievement}"
