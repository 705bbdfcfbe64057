"""The shipped curriculum: courses and lessons authored as files under curriculum/ (its README
describes the layout), read here and written to the database by `load_curriculum`.

Loading is by slug and idempotent: a second load with the same files changes nothing. It never
deletes: a lesson that left the files is unpublished (learners keep their progress), and a course
made in the admin (not `from_curriculum`) is never touched, even when a folder has its slug.
"""

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import Course, Lesson

FOLDER = re.compile(r"^(?P<position>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
FRONT_MATTER = re.compile(r"\A\+\+\+\n(?P<toml>.*?)\n\+\+\+\n?", re.DOTALL)
HINT_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
SOLIDITY_BLOCK = re.compile(
    r"^```solidity[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE
)
FAILS_MARKER = "// does not compile"
SNIPPET_PRAGMA = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\n"
CURRICULUM_AUTHOR = "learning-solidity"
EXERCISE_FILES = ("starter.sol", "solution.sol", "test.sol", "hints.md")
LESSON_FIELDS = (
    "position",
    "title",
    "body",
    "xp_reward",
    "starter_code",
    "tests",
    "solution",
    "hints",
    "published",
)

Progress = Callable[[str, int, int], None]


class CurriculumError(ValueError):
    """A file of the curriculum is missing or malformed; the message names it."""


@dataclass(frozen=True)
class LessonFile:
    slug: str
    position: int
    title: str
    body: str
    xp_reward: int
    starter_code: str = ""
    tests: str = ""
    solution: str = ""
    hints: list = field(default_factory=list)
    published: bool = True


@dataclass(frozen=True)
class CourseFile:
    slug: str
    position: int
    title: str
    summary: str
    lessons: list


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unpublished: int = 0
    skipped_courses: list = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"{self.created} lessons created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.unpublished} unpublished"
        )
        if self.skipped_courses:
            text += f"; left alone (made in the admin): {', '.join(self.skipped_courses)}"
        return text


def curriculum_root() -> Path:
    return Path(settings.CURRICULUM_DIR)


def read_curriculum(root: Path | None = None) -> list[CourseFile]:
    root = root or curriculum_root()
    courses = []
    for folder, position, slug in _numbered_folders(root):
        meta = _read_toml(folder / "course.toml")
        lessons = [
            read_lesson(lesson_folder, position=lesson_position, slug=lesson_slug)
            for lesson_folder, lesson_position, lesson_slug in _numbered_folders(folder)
        ]
        courses.append(
            CourseFile(
                slug=slug,
                position=position,
                title=_required(meta, "title", folder / "course.toml"),
                summary=str(meta.get("summary", "")),
                lessons=lessons,
            )
        )
    return courses


def read_lesson(folder: Path, *, position: int, slug: str) -> LessonFile:
    text = _read_text(folder / "lesson.md")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise CurriculumError(f"{folder / 'lesson.md'}: no +++ front matter")
    try:
        meta = tomllib.loads(match["toml"])
    except tomllib.TOMLDecodeError as exc:
        raise CurriculumError(f"{folder / 'lesson.md'}: front matter: {exc}") from None
    exercise = {}
    if (folder / "test.sol").exists():
        for name in EXERCISE_FILES:
            if not (folder / name).exists():
                raise CurriculumError(f"{folder}: has test.sol but no {name}")
        exercise = {
            "starter_code": _read_text(folder / "starter.sol"),
            "solution": _read_text(folder / "solution.sol"),
            "tests": _read_text(folder / "test.sol"),
            "hints": split_hints(_read_text(folder / "hints.md")),
        }
    elif (folder / "starter.sol").exists():
        exercise = {"starter_code": _read_text(folder / "starter.sol")}
    xp = meta.get("xp", 10)
    if not isinstance(xp, int) or xp < 0:
        raise CurriculumError(f"{folder / 'lesson.md'}: xp must be a whole number")
    return LessonFile(
        slug=slug,
        position=position,
        title=_required(meta, "title", folder / "lesson.md"),
        body=text[match.end() :].strip() + "\n",
        xp_reward=xp,
        **exercise,
    )


def split_hints(text: str) -> list[str]:
    return [hint.strip() for hint in HINT_SEPARATOR.split(text) if hint.strip()]


def solidity_blocks(markdown: str) -> list[tuple[str, bool]]:
    """Each ```solidity block of a lesson, and whether it is marked as failing to compile."""
    return [
        (match["code"], match["code"].lstrip().startswith(FAILS_MARKER))
        for match in SOLIDITY_BLOCK.finditer(markdown)
    ]


def snippet_source(code: str) -> str:
    """A block as a compilable file: a pragma when it has none; a contract around a block that
    declares no contract, interface or library (curriculum/snippets.cjs does the same)."""
    has_pragma = re.search(r"^\s*pragma\s+solidity", code, re.MULTILINE)
    declares = re.search(r"^\s*(abstract\s+contract|contract|interface|library)\s+\w+", code, re.M)
    body = code if declares else f"contract Snippet {{\n{code}\n}}\n"
    return body if has_pragma else SNIPPET_PRAGMA + body


def load_curriculum(*, root: Path | None = None, progress: Progress | None = None) -> LoadSummary:
    """Creates and updates the curriculum's courses and lessons from the files."""
    courses = read_curriculum(root)
    summary = LoadSummary()
    author = _curriculum_author()
    for number, course_file in enumerate(courses, start=1):
        with transaction.atomic():
            _load_course(course_file, author=author, summary=summary)
        if progress:
            progress(f"course {course_file.slug}", number, len(courses))
    with transaction.atomic():
        gone = Course.objects.filter(from_curriculum=True, published=True).exclude(
            slug__in=[course.slug for course in courses]
        )
        for course in gone:
            course.published = False
            course.save(update_fields=["published", "updated_at"])
    return summary


def _load_course(course_file: CourseFile, *, author, summary: LoadSummary) -> None:
    course = Course.objects.select_for_update().filter(slug=course_file.slug).first()
    if course is not None and not course.from_curriculum:
        summary.skipped_courses.append(course_file.slug)
        return
    wanted = {
        "title": course_file.title,
        "summary": course_file.summary,
        "position": course_file.position,
        "published": True,
    }
    if course is None:
        course = Course.objects.create(
            slug=course_file.slug, author=author, from_curriculum=True, **wanted
        )
    elif changed := _changed_fields(course, wanted):
        course.save(update_fields=[*changed, "updated_at"])

    existing = {lesson.slug: lesson for lesson in Lesson.objects.filter(course=course)}
    for lesson_file in course_file.lessons:
        values = {name: getattr(lesson_file, name) for name in LESSON_FIELDS}
        lesson = existing.pop(lesson_file.slug, None)
        if lesson is None:
            Lesson.objects.create(course=course, slug=lesson_file.slug, **values)
            summary.created += 1
        elif changed := _changed_fields(lesson, values):
            lesson.save(update_fields=[*changed, "updated_at"])
            summary.updated += 1
        else:
            summary.unchanged += 1
    for lesson in existing.values():
        if lesson.published:
            lesson.published = False
            lesson.save(update_fields=["published", "updated_at"])
            summary.unpublished += 1


def _changed_fields(instance, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _curriculum_author():
    user, _ = get_user_model().objects.get_or_create(
        username=CURRICULUM_AUTHOR,
        defaults={"email": "", "is_active": False, "password": "!"},
    )
    return user


def _numbered_folders(root: Path):
    if not root.is_dir():
        raise CurriculumError(f"{root}: no such folder")
    found = []
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or not entry.name[:1].isdigit():
            continue
        match = FOLDER.match(entry.name)
        if match is None:
            raise CurriculumError(f"{entry}: name it <number>-<slug> (lowercase, hyphens)")
        found.append((entry, int(match["position"]), match["slug"]))
    slugs = [slug for _, _, slug in found]
    if len(slugs) != len(set(slugs)):
        raise CurriculumError(f"{root}: two folders share a slug")
    return sorted(found, key=lambda item: (item[1], item[2]))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CurriculumError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CurriculumError(f"{path}: not UTF-8 text") from None


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise CurriculumError(f"{path}: {exc}") from None


def _required(meta: dict, key: str, path: Path) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CurriculumError(f"{path}: {key} is required")
    return value.strip()
