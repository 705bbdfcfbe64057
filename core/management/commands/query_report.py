from django.core.management.base import BaseCommand

from core import stats


class Command(BaseCommand):
    """Prints what the query monitor saw recently, across every process that flushed to Redis:
    the views with the most queries per request and the slowest queries with their SQL."""

    help = "Show the views with the most queries and the slowest queries seen recently."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=15, help="rows per table")
        parser.add_argument("--reset", action="store_true", help="clear the figures afterwards")

    def handle(self, *args, limit, reset, **options):
        report = stats.query_report()
        views = sorted(report["views"], key=lambda row: (-row["avg_queries"], -row["requests"]))
        self.stdout.write(self.style.MIGRATE_HEADING("Views by queries per request"))
        header = ("view", "requests", "avg q", "max q", "avg db ms", "avg ms")
        self.stdout.write("{:<40} {:>9} {:>6} {:>6} {:>10} {:>8}".format(*header))
        for row in views[:limit]:
            self.stdout.write(
                f"{row['view'][:40]:<40} {row['requests']:>9} {row['avg_queries']:>6.1f} "
                f"{row['max_queries']:>6} {row['avg_db_ms']:>10.2f} {row['avg_ms']:>8.2f}"
            )
        self.stdout.write(self.style.MIGRATE_HEADING("Slowest queries"))
        for row in report["slow_queries"][:limit]:
            self.stdout.write(
                f"{row['ms']:>9.1f} ms  {row['count']:>6}x  {row['view']}\n    {row['sql'][:300]}"
            )
        total = sum(row["requests"] for row in views)
        self.stdout.write(
            f"{total} requests over {len(views)} views, {len(report['slow_queries'])} slow queries."
        )
        if reset:
            stats.reset()
