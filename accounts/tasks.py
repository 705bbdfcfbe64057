from celery import shared_task

from accounts.models import User
from core.services import optimize_image_field
from core.tasks import ImageTask


@shared_task(base=ImageTask)
def optimize_avatar(user_id: int, force: bool = False) -> str:
    return optimize_image_field(model=User, pk=user_id, field_name="avatar", force=force)
