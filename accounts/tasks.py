from celery import shared_task

from accounts.backends import changed
from accounts.models import User
from core.services import optimize_image_field
from core.tasks import ImageTask


@shared_task(base=ImageTask)
def optimize_avatar(user_id: int, force: bool = False) -> str:
    outcome = optimize_image_field(model=User, pk=user_id, field_name="avatar", force=force)
    changed(user_id)  # the variants were written by an UPDATE: the cached row lacks them
    return outcome
