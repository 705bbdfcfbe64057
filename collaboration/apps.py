from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "collaboration"

    def ready(self):
        from collaboration import chat  # noqa: F401  (its cache group and receiver)
