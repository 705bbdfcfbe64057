from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks import pages


class Command(BaseCommand):
    """Times each cached page cached and uncached, back to back in one run (server time p50/p95
    and sequential requests per second), then replays a browsing mix from a cold cache and
    prints the hit rate. Needs demo data (seed_demo or bench_pages) and Redis."""

    help = "Cached vs uncached server time and requests/s per page, and a mixed run's hit rate."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=50)
        parser.add_argument("--mix", type=int, default=3000, help="requests in the mixed run")
        parser.add_argument("--roles", default="anonymous,learner")

    def handle(self, *args, repeat, mix, roles, **options):
        from django.core.cache import cache

        if not getattr(cache, "redis_available", False):
            raise CommandError("bench_cache measures Redis: set REDIS_URL.")
        if connection.vendor != "postgresql":
            raise CommandError("bench_cache measures PostgreSQL: set DATABASE_URL.")
        roles = [role.strip() for role in roles.split(",")]
        results = pages.cached_vs_uncached(repeat=repeat, roles=roles)
        head = "{:<10} {:<16} {:>13} {:>13} {:>10} {:>13} {:>13} {:>10} {:>8}".format(
            "role", "page", "uncached p50", "uncached p95", "req/s", "cached p50", "cached p95",
            "req/s", "speed-up",
        )  # fmt: skip
        self.stdout.write(self.style.MIGRATE_HEADING(head))
        for (role, page), figures in results.items():
            slow, fast = figures["uncached"], figures["cached"]
            self.stdout.write(
                f"{role:<10} {page:<16} {slow['p50']:>10.2f} ms {slow['p95']:>10.2f} ms "
                f"{slow['rps']:>10.0f} {fast['p50']:>10.2f} ms {fast['p95']:>10.2f} ms "
                f"{fast['rps']:>10.0f} {slow['p50'] / fast['p50']:>7.1f}x"
            )
        for warm in (False, True):
            start = "after warm_cache" if warm else "from a cold cache"
            self.stdout.write(f"Mixed run of {mix} requests {start}:")
            report = pages.mixed_hit_rate(requests=mix, warm=warm)
            hits = misses = 0
            for group, row in report.items():
                self.stdout.write(
                    f"  {group:<12} hits {row['hits']:>6}  misses {row['misses']:>5}  "
                    f"hit rate {row['hit_rate']:.1%}"
                )
                hits, misses = hits + row["hits"], misses + row["misses"]
            self.stdout.write(f"  overall hit rate {hits / max(hits + misses, 1):.1%}")
