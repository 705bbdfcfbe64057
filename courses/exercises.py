"""Exercises graded by running the learner's contract.

A lesson's `tests` are a Foundry-style Solidity test file. "Check my solution" runs them against
the learner's code with the real solc in the EVM (compiler.checks); when every test passes, a
signed-in learner's lesson is completed through `complete_lesson` (once: completing is
idempotent) and the gas of their solution is kept, so that they can see where it stands among
everyone who passed. Nothing else completes a lesson that has an exercise.
"""

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, F, Min, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from compiler.checks import TestRun, attempt_tests
from compiler.services import Attempt
from core.cache import CacheGroup
from core.queries import CompiledQuery
from courses import catalog
from courses.explanations import explained
from courses.models import ExercisePass, Lesson
from courses.services import Completion, complete_lesson

# The median and best gas of an exercise: a short timeout rather than per-pass invalidation,
# like the leaderboard (a standing a minute old is still true enough).
GAS_STANDINGS = CacheGroup("gas", timeout=60)


@dataclass(frozen=True)
class GasStanding:
    mine: int | None
    median: int | None
    best: int | None
    learners: int

    @property
    def beats_median(self) -> bool:
        return self.mine is not None and self.median is not None and self.mine <= self.median


@dataclass(frozen=True)
class Check:
    attempt: Attempt
    completion: Completion | None = None
    standing: GasStanding | None = None

    @property
    def run(self) -> TestRun | None:
        return self.attempt.result

    @property
    def passed(self) -> bool:
        return self.run is not None and self.run.passed and not self.run.author_error

    @property
    def errors(self) -> list[dict]:
        """The compiler's messages on the learner's file, explained where we can."""
        return explained(self.run.errors) if self.run is not None else []


def check_solution(*, user, lesson: Lesson, source: str, requester: str) -> Check:
    """Runs the lesson's tests against `source`; a pass by a signed-in learner completes the
    lesson and records the solution's gas."""
    attempt = attempt_tests(
        source=source,
        tests=lesson.tests,
        requester=requester,
        reference=catalog.reference_solution(lesson.pk),
    )
    run = attempt.result
    if run is None or not run.passed or run.author_error or not user.is_authenticated:
        return Check(attempt=attempt)
    recorded = record_pass(user=user, lesson=lesson, gas=run.gas)
    return Check(
        attempt=attempt,
        completion=recorded.completion,
        standing=gas_standing(lesson=lesson, user=user, mine=recorded.best_gas),
    )


class Pass(NamedTuple):
    completion: Completion
    best_gas: int  # the learner's best gas for the exercise, this pass counted


@transaction.atomic
def record_pass(*, user, lesson: Lesson, gas: int) -> Pass:
    """Completes the lesson and keeps the learner's lowest gas for it."""
    completion = complete_lesson(user=user, lesson=lesson)
    return Pass(completion, _keep_lowest_gas(user_id=user.pk, lesson_id=lesson.pk, gas=gas))


def _keep_lowest_gas(*, user_id, lesson_id, gas) -> int:
    """Stores this pass's gas when it is the learner's first pass or uses less than their best,
    and returns their best: this gas or the earlier one that stays. One statement on PostgreSQL,
    safe under concurrency (the unique (user, lesson) row keeps the minimum), where reading the
    best that stays cost a query of its own after every pass that did not beat it (~1.4 ms of a
    check's ~9.6 ms of CPU). The row is written only when the minimum changes."""
    with connection.cursor() as cursor:
        params = {"user_id": user_id, "lesson_id": lesson_id, "gas": gas, "now": timezone.now()}
        cursor.execute(_keep_lowest_gas_sql(), params)
        row = cursor.fetchone()
        if row is None:  # SQLite (no INSERT in a WITH): the earlier, lower pass stays
            cursor.execute(_best_gas_sql(), params)
            row = cursor.fetchone()
    return row[0]


@cache
def _keep_lowest_gas_sql() -> str:
    table = connection.ops.quote_name(ExercisePass._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (user_id, lesson_id, gas, passed_at) "
        "VALUES (%(user_id)s, %(lesson_id)s, %(gas)s, %(now)s) "
        "ON CONFLICT (user_id, lesson_id) DO UPDATE SET gas = excluded.gas, "
        f"passed_at = excluded.passed_at WHERE excluded.gas < {table}.gas RETURNING gas"
    )
    if connection.vendor != "postgresql":
        return upsert
    # The SELECT reads the snapshot the statement started with: the row as it was, which is
    # the best when the upsert changed nothing (and it returned no row).
    return (
        f"WITH kept AS ({upsert}) SELECT gas FROM kept UNION ALL "
        f"SELECT gas FROM {table} WHERE user_id = %(user_id)s AND lesson_id = %(lesson_id)s "
        "AND NOT EXISTS (SELECT 1 FROM kept)"
    )


@cache
def _best_gas_sql() -> str:
    table = connection.ops.quote_name(ExercisePass._meta.db_table)
    return f"SELECT gas FROM {table} WHERE user_id = %(user_id)s AND lesson_id = %(lesson_id)s"


def gas_standing(*, lesson: Lesson, user, mine: int | None = None) -> GasStanding:
    """Where the learner's best passing gas stands among everyone who passed this exercise
    (`mine`: their best gas when the caller knows it, read otherwise)."""
    stats = _cached_gas_stats(lesson.pk)
    if mine is None and user.is_authenticated:
        mine = (
            ExercisePass.objects.filter(user=user, lesson_id=lesson.pk)
            .values_list("gas", flat=True)
            .first()
        )
    return GasStanding(mine=mine, **stats)


def _cached_gas_stats(lesson_id) -> dict:
    return GAS_STANDINGS.get(lesson_id, lambda: _gas_stats(lesson_id))


def _cached_gas_stats_of(lesson_ids) -> dict[int, dict]:
    """The cached standings of several exercises: one round trip, and one query for all those
    not cached."""

    def build(missing):
        found = standings_of(missing)
        return {lesson_id: found.get(lesson_id, _NO_PASSES) for lesson_id in missing}

    return GAS_STANDINGS.get_many(lesson_ids, build)


_NO_PASSES = {"median": None, "best": None, "learners": 0}


def _gas_stats(lesson_id) -> dict:
    return standings_of([lesson_id]).get(lesson_id, _NO_PASSES)


def _median_rows(passes):
    """One row per lesson of `passes`: its lower-median pass, with `best` and `learners`."""
    by_lesson = {"partition_by": F("lesson_id")}
    return passes.annotate(
        rank=Window(RowNumber(), order_by=F("gas").asc(), **by_lesson),
        learners=Window(Count("id"), **by_lesson),
        best=Window(Min("gas"), **by_lesson),
    ).filter(rank=(F("learners") + 1) / 2)


def standings_of(lesson_ids) -> dict[int, dict]:
    """Per lesson: the median (the lower one) and best gas of its passes, and how many passed.
    One query whatever the number of lessons, on PostgreSQL and SQLite alike."""
    rows = _median_rows(ExercisePass.objects.filter(lesson_id__in=list(lesson_ids)))
    return {
        lesson_id: {"median": median, "best": best, "learners": learners}
        for lesson_id, median, best, learners in rows.values_list(
            "lesson_id", "gas", "best", "learners"
        )
    }


_PASS_COLUMNS = (
    "lesson_id", "gas", "lesson__title", "lesson__slug", "lesson__course__slug",
    "lesson__course__position", "lesson__position",
)  # fmt: skip
# Read whenever a learner's profile is rebuilt, after each of their completions: compiled once.
_PASSES = CompiledQuery(
    lambda user_id: ExercisePass.objects.filter(user_id=user_id).values_list(*_PASS_COLUMNS)
)


def passes_of(user) -> list[dict]:
    """A learner's passed exercises with their gas beside the median and best: for the profile.
    One query for the learner's passes; each exercise's median and best come from its cached
    standing (as the check's verdict shows it), so a profile never ranks every pass of every
    exercise they passed (that window over all passes took ~500 ms at 100,000 learners)."""
    rows = [dict(zip(_PASS_COLUMNS, row, strict=True)) for row in _PASSES(user_id=user.pk)]
    ordered = sorted(rows, key=lambda r: (r["lesson__course__position"], r["lesson__position"]))
    standings = _cached_gas_stats_of([row["lesson_id"] for row in ordered])
    return [
        {
            "title": row["lesson__title"],
            "url": reverse(
                "courses:lesson",
                kwargs={"course": row["lesson__course__slug"], "lesson": row["lesson__slug"]},
            ),
            "gas": row["gas"],
            **standings[row["lesson_id"]],  # median, best, learners
        }
        for row in ordered
    ]
