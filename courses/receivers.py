from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.signals import image_variants_written
from courses import progress
from courses.catalog import CATALOG
from courses.models import Course, Enrollment, Lesson, LessonProgress


@receiver([post_save, post_delete], sender=Course, dispatch_uid="catalog.course")
@receiver([post_save, post_delete], sender=Lesson, dispatch_uid="catalog.lesson")
def retire_catalog(sender, **kwargs):
    CATALOG.invalidate()


# Saves through the ORM (the admin, scripts); the services bump it themselves, since their bulk
# inserts and conditional updates send no signals. Not on delete: a delete receiver would make
# every cascading delete (a learner, a course) load these rows one by one; a deleted row shows
# once its entry expires (progress.PROGRESS.timeout).
@receiver(post_save, sender=LessonProgress, dispatch_uid="progress.lesson")
@receiver(post_save, sender=Enrollment, dispatch_uid="progress.enrollment")
def retire_progress(sender, instance, **kwargs):
    progress.changed(instance.user_id)


@receiver(image_variants_written, sender=Course, dispatch_uid="catalog.cover_variants")
def show_new_cover_variants(sender, **kwargs):
    """Catalog pages cached with the original cover now show its variants."""
    CATALOG.invalidate()
