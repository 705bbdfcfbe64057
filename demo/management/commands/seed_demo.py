import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.clearing import clear_demo_data
from demo.content import DEMO_PASSWORD
from demo.services import seed_demo


class Command(BaseCommand):
    """Fills the database with realistic demo data: the curriculum (load_curriculum), learners
    with progress and achievements through it, rooms with chat, and an `admin` account when
    there is none. Safe to rerun: it replaces the previous demo data (`--if-empty` leaves
    existing demo data alone). Refuses a production configuration (DJANGO_ENV=production, or
    DEBUG off) unless given --allow-production: its learners and admin have published passwords.
    """

    help = "Build demo data (users, courses, lessons, progress, achievements, rooms, chat)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument(
            "--progress-per-user", type=int, default=10, help="average completed lessons"
        )
        parser.add_argument("--reset", action="store_true", help="clear demo data first")
        parser.add_argument("--clear", action="store_true", help="only clear demo data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when demo data exists"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run although DJANGO_ENV=production or DEBUG is off (a database that is meant "
            "to hold demo data: the local cluster, the benchmarks' and the load test's)",
        )

    def handle(self, *args, **options):
        if not options["allow_production"] and (settings.PRODUCTION or not settings.DEBUG):
            raise CommandError(
                "This is a production configuration (DJANGO_ENV=production or DEBUG off), and "
                "seed_demo makes accounts with published passwords. Run it with DEBUG=1 in "
                "development, or pass --allow-production for a database meant for demo data."
            )
        for name in ("users", "progress_per_user"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must not be negative")
        if options["clear"]:
            clear_demo_data(progress=self._progress)
            self.stdout.write(self.style.SUCCESS("Demo data cleared."))
            return
        summary = seed_demo(
            users=options["users"],
            progress_per_user=options["progress_per_user"],
            reset=options["reset"],
            if_empty=options["if_empty"],
            seed=options["seed"],
            progress=self._progress,
        )
        if summary.skipped:
            self.stdout.write(
                "Demo data already present; left as it is (drop --if-empty to rebuild)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {summary.users:,} users, {summary.courses} courses, "
                    f"{summary.lessons} lessons, {summary.progress:,} progress rows, "
                    f"{summary.enrollments:,} enrollments, {summary.achievements:,} achievements, "
                    f"{summary.rooms} rooms, {summary.messages} messages "
                    f"in {summary.seconds:.1f} s."
                )
            )
        admin = summary.admin
        if admin.password is None:
            self.stdout.write(
                self.style.WARNING(
                    f"An account named {admin.username!r} already exists and was not made by "
                    "seed_demo: left as it is (no demo admin login)."
                )
            )
        else:
            self.stdout.write(f"Admin login: {admin.username} / {admin.password}  (/admin/)")
        self.stdout.write(f"Demo learners log in with password: {DEMO_PASSWORD}")

    def _progress(self, label, done, total):
        if not total:
            return
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        if sys.stdout.isatty() or done >= total:
            self.stdout.write(f"\r  {label:<20} [{bar}] {done:>9,}/{total:,}", ending=end)
            self.stdout.flush()
