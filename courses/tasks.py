from celery import shared_task

from core.services import optimize_image_field
from core.tasks import ImageTask
from courses.models import Course


@shared_task(base=ImageTask)
def optimize_course_cover(course_id: int, force: bool = False) -> str:
    return optimize_image_field(model=Course, pk=course_id, field_name="cover", force=force)
