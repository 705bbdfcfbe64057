"""The shipped curriculum, checked with the site's own compiler pool and EVM: every lesson's code
blocks compile as claimed, every reference solution passes its tests and every starter fails."""

import json
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

from compiler.checks import run_tests
from compiler.services import compile_source
from courses.curriculum import (
    load_curriculum,
    read_curriculum,
    snippet_source,
    solidity_blocks,
    split_hints,
)
from courses.models import Course, Lesson, LessonProgress
from tests.factories import CourseFactory, LessonFactory, UserFactory

COURSES = read_curriculum()
LESSONS = [(course, lesson) for course in COURSES for lesson in course.lessons]
EXERCISES = [(course, lesson) for course, lesson in LESSONS if lesson.tests]
BLOCKS = [
    (course, lesson, number, code, must_fail)
    for course, lesson in LESSONS
    for number, (code, must_fail) in enumerate(solidity_blocks(lesson.body), start=1)
]


def lesson_id(item):
    return f"{item[0].slug}/{item[1].slug}"


def test_the_curriculum_is_a_real_path_of_distinct_lessons():
    titles = [lesson.title for _, lesson in LESSONS]
    assert len(COURSES) >= 6 and len(LESSONS) >= 40 and len(EXERCISES) >= 30
    assert len(set(titles)) == len(titles), "a lesson title appears twice"
    incomplete = [
        lesson_id(item)
        for item in EXERCISES
        if not (1 <= len(item[1].hints) <= 3 and item[1].starter_code and item[1].solution)
    ]
    assert incomplete == [], "exercises without 1-3 hints, a starter and a solution"


@pytest.mark.django_db
@pytest.mark.usefixtures("compiler")
@pytest.mark.parametrize("item", EXERCISES, ids=lesson_id)
def test_the_reference_solution_passes_and_the_starter_fails(item, settings):
    settings.COMPILER_RATE_LIMIT_PER_MINUTE = 0
    _, lesson = item
    solution = run_tests(source=lesson.solution, tests=lesson.tests, requester=None)
    assert not solution.problem and not solution.test_errors, solution
    assert len(solution.tests) >= 3, "an exercise needs 3 or more tests"
    failing = [(test.name, test.message) for test in solution.tests if not test.passed]
    assert solution.passed, f"the solution fails {failing}"
    starter = run_tests(source=lesson.starter_code, tests=lesson.tests, requester=None)
    assert starter.tests, f"the starter does not compile with the tests: {starter}"
    assert not starter.passed, "the starter passes every test"
    # The fast path (tests compiled once against the reference) gives the very same verdicts.
    for direct, source in ((solution, lesson.solution), (starter, lesson.starter_code)):
        prebuilt = run_tests(
            source=source, tests=lesson.tests, requester=None, reference=lesson.solution
        )
        assert prebuilt.tests == direct.tests and prebuilt.errors == direct.errors


@pytest.mark.django_db
@pytest.mark.usefixtures("compiler")
@pytest.mark.parametrize(
    "item", BLOCKS, ids=lambda item: f"{item[0].slug}/{item[1].slug}#{item[2]}"
)
def test_every_code_block_compiles_as_claimed(item, settings):
    settings.COMPILER_RATE_LIMIT_PER_MINUTE = 0
    _, _, _, code, must_fail = item
    result = compile_source(source=snippet_source(code), requester=None)
    errors = [error["message"] for error in result.errors if error["severity"] == "error"]
    if must_fail:
        assert errors, "marked as failing, but it compiles"
    else:
        assert not errors, errors


def test_hints_are_split_on_lines_of_dashes():
    assert split_hints("one\n---\ntwo\nlines\n---  \n\n") == ["one", "two\nlines"]


def test_a_snippet_is_wrapped_only_when_it_needs_it():
    assert "contract Snippet {" in snippet_source("uint256 public x;")
    assert "contract Snippet" not in snippet_source("contract A {}")
    assert snippet_source("pragma solidity ^0.8.0;\ncontract A {}").count("pragma") == 1


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_progress(django_capture_on_commit_callbacks):
    first = load_curriculum()
    assert first.created == len(LESSONS) and first.updated == 0
    lesson = Lesson.objects.filter(tests__gt="").first()
    learner = UserFactory()
    LessonProgress.objects.create(user=learner, lesson=lesson, completed=True)
    before = dict(Lesson.objects.values_list("pk", "updated_at"))

    second = load_curriculum()

    assert (second.created, second.updated, second.unchanged) == (0, 0, len(LESSONS))
    assert dict(Lesson.objects.values_list("pk", "updated_at")) == before
    assert LessonProgress.objects.filter(user=learner, lesson=lesson, completed=True).exists()
    assert Course.objects.filter(from_curriculum=True, published=True).count() == len(COURSES)


@pytest.mark.django_db
def test_a_lesson_that_left_the_files_is_unpublished_and_admin_courses_are_left_alone(tmp_path):
    course_dir = tmp_path / "01-first"
    (course_dir / "01-kept").mkdir(parents=True)
    (course_dir / "02-dropped").mkdir()
    (course_dir / "course.toml").write_text('title = "First"\nsummary = "s"\n')
    for name in ("01-kept", "02-dropped"):
        (course_dir / name / "lesson.md").write_text(f'+++\ntitle = "{name}"\nxp = 5\n+++\nText\n')
    admin_course = CourseFactory(slug="first-admin", title="Made in the admin")
    LessonFactory(course=admin_course, slug="mine")
    (tmp_path / "02-first-admin").mkdir()
    (tmp_path / "02-first-admin" / "course.toml").write_text('title = "Overwritten?"\n')

    load_curriculum(root=tmp_path)
    dropped = Lesson.objects.get(slug="dropped")
    learner = UserFactory()
    LessonProgress.objects.create(user=learner, lesson=dropped, completed=True)
    (course_dir / "02-dropped" / "lesson.md").unlink()
    (course_dir / "02-dropped").rmdir()
    summary = load_curriculum(root=tmp_path)

    dropped.refresh_from_db()
    assert summary.unpublished == 1 and not dropped.published
    assert LessonProgress.objects.filter(lesson=dropped).exists()
    admin_course.refresh_from_db()
    assert admin_course.title == "Made in the admin" and summary.skipped_courses == ["first-admin"]
    assert Lesson.objects.filter(course=admin_course, slug="mine").exists()


@pytest.mark.django_db
def test_the_command_reports_progress_and_a_summary_line(capsys):
    call_command("load_curriculum")
    out = capsys.readouterr().out
    assert f"[1/{len(COURSES)}]" in out
    assert f"{len(LESSONS)} lessons created, 0 updated" in out


def test_the_authors_check_wraps_snippets_as_the_site_does():
    """curriculum/snippets.cjs (node curriculum/check.cjs) and courses.curriculum (make test)
    make the same files of the same blocks."""
    blocks = [code for _, lesson, _, code, _ in BLOCKS[:40]]
    blocks += ["uint256 public x;", "pragma solidity ^0.8.0;\ncontract A {}", "contract B {}"]
    script = (
        "const {snippetSource} = require('./curriculum/snippets.cjs');"
        "const blocks = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(blocks.map(snippetSource)));"
    )
    node = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert json.loads(node.stdout) == [snippet_source(code) for code in blocks]
