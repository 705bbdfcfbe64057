from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from benchmarks import pages


class Command(BaseCommand):
    """Times every page and endpoint server-side, uncached, with its query count, on a large
    database (seeding 100,000 learners first when it has fewer). With --compare-indexes it runs
    once without the query indexes (dropped in a rolled-back transaction) and once with them, and
    prints both side by side."""

    help = "Server time p50/p95 and queries per page, uncached, on a 100k-learner database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="requests per page")
        parser.add_argument("--users", type=int, default=100_000, help="seed up to this many")
        parser.add_argument("--compare-indexes", action="store_true")
        parser.add_argument("--roles", default="anonymous,learner")

    def handle(self, *args, repeat, users, compare_indexes, roles, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_pages measures PostgreSQL: set DATABASE_URL.")
        if User.objects.count() < users:
            self.stdout.write(f"Seeding {users:,} learners (once)...")
            call_command(
                "seed_demo", users=users, progress_per_user=11, reset=True,
                allow_production=True, stdout=self.stdout,
            )  # fmt: skip
        with connection.cursor() as cursor:
            # Fresh statistics and visibility map, as autovacuum would have after a bulk load.
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT count(*) FROM accounts_user")
            user_count = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM courses_lessonprogress")
            progress_count = cursor.fetchone()[0]
        self.stdout.write(
            f"{user_count:,} users, {progress_count:,} progress rows, {repeat} requests per page"
        )
        roles = [role.strip() for role in roles.split(",")]
        runs = {}
        if compare_indexes:
            self.stdout.write("without the query indexes...")
            with pages.without_query_indexes():
                runs["no indexes"] = pages.run(repeat=repeat, roles=roles)
        self.stdout.write("with the query indexes...")
        runs["indexes"] = pages.run(repeat=repeat, roles=roles)
        self._print(runs)

    def _print(self, runs):
        labels = list(runs)
        head = f"{'role':<10} {'page':<22} {'queries':>7}"
        for label in labels:
            head += f" {label + ' p50':>16} {label + ' p95':>16}"
        self.stdout.write(self.style.MIGRATE_HEADING(head))
        for key, figures in runs[labels[-1]].items():
            role, page = key
            line = f"{role:<10} {page:<22} {figures['queries']:>7}"
            for label in labels:
                run = runs[label][key]
                line += f" {run['p50']:>13.1f} ms {run['p95']:>13.1f} ms"
            self.stdout.write(line)
        worst = max(runs[labels[-1]].values(), key=lambda figures: figures["p95"])
        self.stdout.write(f"slowest p95 with indexes: {worst['p95']:.1f} ms")
