"""Benchmark: exercise checks (compile + every test in the EVM), uncached on a warm pool and
cached, in one run, through compiler.checks.run_tests (rate limit, cache, socket, pool).

The suite is the curriculum's exercise with the most tests, up to 10. Each uncached check gets a
distinct source (a comment with a nonce), as distinct learners' attempts do. Not part of
`make test`: timings are reported, not asserted.
"""

import secrets
import time
from contextlib import ExitStack

from django.conf import settings
from django.core.management.base import CommandError
from django.test import override_settings

from benchmarks.management.commands.bench_compile import Command as CompileBenchmark
from compiler.checks import run_tests
from compiler.daemon import ServiceClient
from courses.curriculum import read_curriculum

MAX_TESTS = 10


class Command(CompileBenchmark):
    help = "Print p50/p95/p99 of uncached (warm pool) and cached exercise checks."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--lesson", help="the lesson slug whose suite to run (default: the largest suite)"
        )
        parser.add_argument(
            "--every",
            action="store_true",
            help="uncached checks cycle through every exercise of the curriculum instead",
        )

    def handle(self, *args, uncached, cached, warmup, lesson=None, every=False, **options):
        exercises = [
            found for course in read_curriculum() for found in course.lessons if found.tests
        ]
        if not exercises:
            raise CommandError("The curriculum has no exercises.")
        tests_per = {found.slug: found.tests.count("function test") for found in exercises}
        if lesson:
            matching = [found for found in exercises if found.slug == lesson]
            if not matching:
                raise CommandError(f"No exercise lesson has the slug {lesson!r}.")
            lesson = matching[0]
        else:
            lesson = max(
                (found for found in exercises if tests_per[found.slug] <= MAX_TESTS),
                key=lambda found: (tests_per[found.slug], len(found.tests)),
            )
        with ExitStack() as stack:
            socket_path = settings.COMPILER_SOCKET or self._start_service(stack)
            stack.enter_context(override_settings(COMPILER_SOCKET=socket_path))
            nonce = secrets.token_hex(4)
            self.sent = 0
            suites = exercises if every else [lesson]
            for i in range(warmup):
                self._check(suites[i % len(suites)], f"// warm-up {nonce} {i}", expect_cached=False)
            if every:
                total = sum(tests_per[found.slug] for found in suites)
                self.stdout.write(
                    f"Suites: every exercise in turn ({len(suites)} suites, {total} tests), "
                    "their reference solutions."
                )
            else:
                self.stdout.write(
                    f"Suite: {lesson.title} ({tests_per[lesson.slug]} tests), its reference "
                    "solution."
                )
            self.stdout.write(f"Uncached: {uncached} distinct sources…")
            cold = [
                self._check(suites[i % len(suites)], f"// {nonce} {i}", expect_cached=False)
                for i in range(uncached)
            ]
            self.stdout.write(f"Cached: {cached} repeats of one source…")
            self._check(lesson, f"// {nonce} cached", expect_cached=False)
            warm = [
                self._check(lesson, f"// {nonce} cached", expect_cached=True) for _ in range(cached)
            ]
            status = ServiceClient(socket_path).status()
        self._report("uncached", cold)
        self._report("cached", warm)
        self.stdout.write(
            f"Pool: solc {status['version']}, {len(status['workers'])} workers. "
            f"Done: {self.sent} checks; uncached p95 {self._p(cold, 95):.1f} ms, "
            f"cached p95 {self._p(warm, 95):.1f} ms."
        )

    def _check(self, lesson, comment, *, expect_cached) -> float:
        self.sent += 1
        started = time.perf_counter()
        run = run_tests(
            source=f"{lesson.solution}\n{comment}\n",
            tests=lesson.tests,
            requester=None,
            reference=lesson.solution,  # as the lesson page's checks do
        )
        elapsed = (time.perf_counter() - started) * 1000
        if not run.passed or run.cached != expect_cached:
            raise CommandError(f"unexpected check result: {run}")
        return elapsed
