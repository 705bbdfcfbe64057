import time

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand

from courses.exercises import check_solution
from courses.models import Lesson


class Command(BaseCommand):
    """Runs every published exercise's reference solution through its tests once, through the
    compile service, so that their verdicts are in the check cache (compiler/cache.py): after a
    deploy that changed the runner or solc, every cached verdict is of the old version, and the
    first learners to check a given source each wait for the compile and the EVM run (1.3 s on
    average in a 1,000-user load run that began cold), their web worker waiting with them. Safe
    to rerun: a verdict already cached costs one cache read. The load tests run it before their
    users arrive, since the verdicts they ask for are these."""

    help = "Check every exercise's reference solution once, caching its verdict."

    def handle(self, *args, **options):
        started = time.monotonic()
        lessons = list(
            Lesson.objects.filter(published=True, course__published=True)
            .exclude(tests="")
            .exclude(solution="")
            .select_related("course")
            .order_by("course__position", "position")
        )
        ran = cached = failed = 0
        for number, lesson in enumerate(lessons, start=1):
            where = f"{lesson.course.slug}/{lesson.slug}"
            # A learner's check, as the view runs it: the same inputs, so the same cache key.
            check = check_solution(
                user=AnonymousUser(), lesson=lesson, source=lesson.solution, requester=None
            )
            if check.attempt.problem:
                failed += 1
                self.stderr.write(
                    f"  [{number}/{len(lessons)}] {where}: not checked ({check.attempt.problem})"
                )
                continue
            run = check.run
            if not check.passed:
                failed += 1
                self.stderr.write(
                    f"  [{number}/{len(lessons)}] {where}: the reference solution does not pass "
                    f"({run.problem or 'a test fails'})"
                )
                continue
            cached += run.cached
            ran += not run.cached
            verdict = "cached already" if run.cached else f"checked in {run.ms:.0f} ms"
            self.stdout.write(f"  [{number}/{len(lessons)}] {where}: {verdict}")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Warmed {ran + cached} of {len(lessons)} exercises in {elapsed:.1f} s "
            f"({ran} checked now, {cached} cached already, {failed} not)."
        )
