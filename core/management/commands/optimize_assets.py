"""Makes (or remakes) the WebP and AVIF variants of every uploaded image.

Uploads are normally processed by a Celery task right after they are saved; this catches up on
any that were missed (a broker outage, an image uploaded before variants existed, a new recipe)
and, with --force, re-encodes them all. Safe to rerun: up-to-date images are skipped.
"""

import time
from collections import Counter

from django.core.management.base import BaseCommand

from core.images.registry import registered_images
from core.services import FAILED, optimize_image_field


class Command(BaseCommand):
    help = "(Re)make the WebP and AVIF variants of course covers, avatars and other uploads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="re-encode images that are already up to date"
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="send each image to the Celery workers instead of processing it here",
        )

    def handle(self, *args, force, enqueue, **options):
        started = time.monotonic()
        outcomes = Counter()
        for optimized in registered_images():
            pks = list(
                optimized.model._default_manager.exclude(**{optimized.field_name: ""})
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            total = len(pks)
            step = max(1, total // 10)
            self.stdout.write(f"{optimized.label}: {total} image{'s' * (total != 1)}")
            for done, pk in enumerate(pks, start=1):
                if enqueue:
                    optimized.task.delay(pk, force=force)
                    outcomes["enqueued"] += 1
                else:
                    try:
                        outcome = optimize_image_field(
                            model=optimized.model,
                            pk=pk,
                            field_name=optimized.field_name,
                            force=force,
                        )
                    except OSError as exc:  # storage unreachable: report it, go on with the rest
                        outcome = "storage error"
                        self.stderr.write(f"  {optimized.label} {pk}: {exc!r}")
                    outcomes[outcome] += 1
                    if outcome == FAILED:
                        self.stderr.write(f"  {optimized.label} {pk}: unreadable, see the log")
                if done % step == 0 or done == total:
                    self.stdout.write(f"  {done}/{total}")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(
            f"optimize_assets: {sum(outcomes.values())} images ({summary or 'none'}) "
            f"in {time.monotonic() - started:.1f} s"
        )
