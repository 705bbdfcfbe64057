import time

from django.core.management.base import BaseCommand

from core import warming


class Command(BaseCommand):
    """Renders every hot public page once, filling the page and fragment caches, so the first
    visitors after a deploy or a Redis restart do not all land on PostgreSQL. Safe to rerun."""

    help = "Fill the cache with the hot public pages and their fragments."

    def handle(self, *args, **options):
        started = time.monotonic()
        paths = warming.hot_paths()
        failed = 0
        for number, path in enumerate(paths, start=1):
            status = warming.warm(path)
            if status != 200:
                failed += 1
                self.stderr.write(f"  {path} answered {status}")
            if number % 25 == 0 or number == len(paths):
                self.stdout.write(f"  {number}/{len(paths)} pages warmed")
        elapsed = time.monotonic() - started
        self.stdout.write(f"Warmed {len(paths) - failed} of {len(paths)} pages in {elapsed:.1f} s.")
