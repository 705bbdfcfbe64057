from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for development and benchmarks. Like config/urls.py it sits above every other
    app, so it may import them all; nothing imports it."""

    name = "demo"
