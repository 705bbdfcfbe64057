from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.services import Standing
from core.page_cache import retire
from core.signals import chat_message_posted, image_variants_written
from courses.signals import course_completed, lesson_completed
from leaderboard.models import Achievement
from leaderboard.ranking import PROFILES
from leaderboard.services import CHAT_RULES, COURSE_RULES, LESSON_RULES, grant_achievements

Rule = Achievement.Rule


# Receivers of courses' signals answer with the learner's Standing when a bonus changed their XP,
# None otherwise: the contract in courses/signals.py.
@receiver(lesson_completed, dispatch_uid="leaderboard.lesson_completed")
def on_lesson_completed(
    sender, *, user_id, username, xp=None, first_today=True, **kwargs
) -> Standing | None:
    retire_profile(username)  # the lesson's XP
    # A later completion the same day changes no day of a streak: the first one was checked.
    rules = LESSON_RULES if first_today else LESSON_RULES - {Rule.STREAK}
    return grant_achievements(user_id=user_id, rules=rules, xp=xp).standing


@receiver(course_completed, dispatch_uid="leaderboard.course_completed")
def on_course_completed(sender, *, user_id, username, **kwargs) -> Standing | None:
    # The profile: retired by the lesson completion that finished the course, in this transaction.
    return grant_achievements(user_id=user_id, rules=COURSE_RULES).standing


@receiver(chat_message_posted, dispatch_uid="leaderboard.chat_message_posted")
def on_chat_message_posted(sender, *, user_id, **kwargs):
    if grant_achievements(user_id=user_id, rules=CHAT_RULES).achievements:  # rare: once each
        username = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
        if username is not None:
            retire_profile(username)


def retire_profile(username):
    """The learner's stored profile page: they see their new XP and achievements on it at once
    (everyone else within the profiles' 30 s)."""
    retire(PROFILES, reverse("leaderboard:profile", args=[username]))


@receiver(image_variants_written, sender=User, dispatch_uid="leaderboard.avatar_variants")
def show_new_avatar_variants(sender, **kwargs):
    """Profiles cached with the original upload now show its AVIF and WebP variants."""
    PROFILES.invalidate()
