import sys

from django.core.management.base import BaseCommand, CommandError

from demo.clearing import clear_demo_data
from demo.content import DEMO_PASSWORD
from demo.services import seed_demo


class Command(BaseCommand):
    """Fills the database with realistic demo data: the curriculum (load_curriculum), learners
    with progress and achievements through it, rooms with chat. Safe to rerun: it replaces the
    previous demo data (`--if-empty` leaves existing demo data alone)."""

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

    def handle(self, *args, **options):
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
        self.stdout.write(
            f"Admin login: {summary.admin_username} / {summary.admin_password}  (/admin/)\n"
            f"Demo learners log in with password: {DEMO_PASSWORD}"
        )

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
