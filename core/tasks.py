import logging

from celery import Task

logger = logging.getLogger(__name__)


class ImageTask(Task):
    """Base for the apps' image tasks (they take a primary key).

    Storage hiccups (OSError: a timeout, a refused connection to the bucket) are retried with
    backoff; an image that cannot be decoded is not an error here (core.services records it).
    """

    autoretry_for = (OSError,)
    max_retries = 5
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error(
            "%s%s failed after %s retries: %r", self.name, tuple(args), self.max_retries, exc
        )
