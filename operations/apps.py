from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"

    def ready(self):
        from django.conf import settings

        from core import stats
        from operations import probes, recorder, tasks

        stats.observe(recorder.observe)
        tasks.connect()
        # Serving processes report from the start, before their first request; one-off
        # commands (migrate, shell) never appear among the cluster's processes.
        if settings.METRICS_FLUSH_THREAD and probes.process_kind() in ("web", "asgi", "worker"):
            recorder.start_flusher()
