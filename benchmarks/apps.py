from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The bench_* commands: timings of pages, the cache, compiles, checks and rooms, printed
    rather than asserted. Installed outside production only (config/settings.py); like
    config/urls.py it sits above every other app, so it may import them all, and nothing imports
    it."""

    name = "benchmarks"
