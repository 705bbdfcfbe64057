from django.dispatch import receiver

from accounts.models import User
from core.signals import chat_message_posted, image_variants_written
from courses.signals import course_completed, lesson_completed
from leaderboard.models import Achievement
from leaderboard.ranking import PROFILES
from leaderboard.services import grant_achievements

Rule = Achievement.Rule


@receiver(lesson_completed, dispatch_uid="leaderboard.lesson_completed")
def on_lesson_completed(sender, *, user_id, xp=None, **kwargs):
    return grant_achievements(user_id=user_id, rules={Rule.FIRST_LESSON, Rule.STREAK}, xp=xp)


@receiver(course_completed, dispatch_uid="leaderboard.course_completed")
def on_course_completed(sender, *, user_id, **kwargs):
    return grant_achievements(user_id=user_id, rules={Rule.FIRST_COURSE})


@receiver(chat_message_posted, dispatch_uid="leaderboard.chat_message_posted")
def on_chat_message_posted(sender, *, user_id, **kwargs):
    grant_achievements(user_id=user_id, rules={Rule.FIRST_CHAT})


@receiver(image_variants_written, sender=User, dispatch_uid="leaderboard.avatar_variants")
def show_new_avatar_variants(sender, **kwargs):
    """Profiles cached with the original upload now show its AVIF and WebP variants."""
    PROFILES.invalidate()
