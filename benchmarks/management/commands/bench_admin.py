"""Times the admin's changelists, searches and autocompletes on a large database: database time
and queries per page, as a staff member opening them sees them (seeding 100,000 learners first
when the database has fewer), and with --explain the plan of each page's slowest query."""

import logging
import statistics
import time

from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User


class QueryTimer:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def pages(learner):
    found = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        found.append((f"{opts.label} list", url))
    term = learner.username[:12]
    for label, name in (
        ("accounts.User", "admin:accounts_user_changelist"),
        ("courses.LessonProgress", "admin:courses_lessonprogress_changelist"),
        ("courses.Enrollment", "admin:courses_enrollment_changelist"),
        ("leaderboard.UserAchievement", "admin:leaderboard_userachievement_changelist"),
    ):
        found.append((f"{label} search", f"{reverse(name)}?q={term}"))
    found.append(
        ("accounts.User search email", f"{reverse('admin:accounts_user_changelist')}?q=learner9")
    )
    found.append(
        (
            "courses.LessonProgress done",
            f"{reverse('admin:courses_lessonprogress_changelist')}?completed__exact=1",
        )
    )
    found.append(
        (
            "user autocomplete",
            f"{reverse('admin:autocomplete')}?app_label=courses&model_name=lessonprogress"
            f"&field_name=user&term={term}",
        )
    )
    return found


class Command(BaseCommand):
    help = "Database time and queries of every admin changelist and search at 100k learners."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7, help="requests per page")
        parser.add_argument("--users", type=int, default=100_000, help="seed up to this many")
        parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
        parser.add_argument("--only", default="", help="pages whose label contains this")
        parser.add_argument("--queries", action="store_true", help="each query's time, last run")

    def handle(self, *args, repeat, users, explain, only, queries, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_admin measures PostgreSQL: set DATABASE_URL.")
        if User.objects.count() < users:
            self.stdout.write(f"Seeding {users:,} learners (once)...")
            call_command(
                "seed_demo", users=users, progress_per_user=11, reset=True, allow_production=True
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM accounts_user")
            user_count = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM courses_lessonprogress")
            progress_count = cursor.fetchone()[0]
        self.stdout.write(f"{user_count:,} users, {progress_count:,} progress rows, {repeat} runs")
        # The slow-query log would print every slow query of the "before" runs between the rows.
        logging.getLogger("core.queries").setLevel(logging.ERROR)
        staff = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if staff is None:
            raise CommandError("No active superuser to open the admin as (seed_demo makes one).")
        client = Client()
        client.force_login(staff)
        learner = User.objects.filter(username__startswith="learner4242_").first()
        self.stdout.write(
            f"{'page':<38} {'status':>6} {'queries':>7} {'db ms p50':>10} {'db ms max':>10} "
            f"{'total ms':>9}"
        )
        for label, url in pages(learner):
            if only and only not in label:
                continue
            db_times, totals, slowest = [], [], None
            for run in range(repeat + 1):
                timer = QueryTimer()
                started = time.perf_counter()
                with connection.execute_wrapper(timer):
                    response = client.get(url)
                total = (time.perf_counter() - started) * 1000
                if run == 0:
                    continue  # warm-up: the session and the plans
                db_times.append(sum(ms for ms, _, _ in timer.queries))
                totals.append(total)
                top = max(
                    (q for q in timer.queries if not q[1].startswith("EXPLAIN")),
                    key=lambda q: q[0],
                )
                if slowest is None or top[0] > slowest[0]:
                    slowest = top
            self.stdout.write(
                f"{label:<38} {response.status_code:>6} {len(timer.queries):>7} "
                f"{statistics.median(db_times):>10.1f} {max(db_times):>10.1f} "
                f"{statistics.median(totals):>9.1f}"
            )
            if queries:
                for ms, sql, _ in timer.queries:
                    self.stdout.write(f"    {ms:8.2f} ms  {sql[:150]}")
            if explain and slowest is not None:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + slowest[1], slowest[2])
                    plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
                self.stdout.write(f"    slowest: {slowest[1][:400]}\n{plan}")
