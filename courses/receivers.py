from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.catalog import CATALOG
from courses.models import Course, Lesson


@receiver([post_save, post_delete], sender=Course, dispatch_uid="catalog.course")
@receiver([post_save, post_delete], sender=Lesson, dispatch_uid="catalog.lesson")
def retire_catalog(sender, **kwargs):
    CATALOG.invalidate()
