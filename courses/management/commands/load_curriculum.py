from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.curriculum import CurriculumError, curriculum_root, load_curriculum


class Command(BaseCommand):
    """Creates and updates the shipped courses and lessons from curriculum/ by slug. Safe to
    rerun: unchanged lessons are not written, a lesson that left the files is unpublished (never
    deleted, so learners keep their progress), and courses made in the admin are left alone."""

    help = "Load the curriculum's courses and lessons from the files under curriculum/."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="the curriculum folder (default: CURRICULUM_DIR)")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            summary = load_curriculum(
                root=Path(options["path"]) if options["path"] else None,
                progress=self._progress,
            )
        except CurriculumError as exc:
            raise CommandError(str(exc)) from None
        source = options["path"] or curriculum_root()
        self.stdout.write(self.style.SUCCESS(f"Curriculum from {source}: {summary.line()}."))

    def _progress(self, label, done, total):
        if self.verbosity >= 1:
            self.stdout.write(f"  [{done}/{total}] {label}")
