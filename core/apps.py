from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        # Connects the worker heartbeat to Celery's worker_ready in every process, workers included.
        from core import background  # noqa: F401
