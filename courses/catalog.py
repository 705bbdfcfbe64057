"""Cached reads of the course catalog: the shared part of every course page, kept in the
"catalog" cache group and retired as a whole whenever a course or lesson changes
(courses/receivers.py). A learner's own progress is merged in from courses/progress.py, which
keeps it per learner and retires it whenever they complete a lesson or enroll.
"""

from core.cache import CacheGroup
from courses.models import Course, Lesson

CATALOG = CacheGroup("catalog", timeout=300)


def published_courses() -> list[Course]:
    """Published courses in the curriculum's order, with `lesson_count` and their author."""
    return CATALOG.get(
        "courses",
        lambda: list(
            Course.objects.published()
            .select_related("author")
            .with_lesson_counts()
            .in_catalog_order()
            .for_listing()
        ),
    )


def courses_json() -> list[dict]:
    return CATALOG.get(
        "courses-json",
        lambda: list(
            Course.objects.published()
            .with_lesson_counts()
            .in_catalog_order()
            .values("id", "slug", "title", "summary", "lesson_count", "created_at")
        ),
    )


def course_outline(slug) -> tuple[Course, list[Lesson]] | None:
    def build():
        course = (
            Course.objects.published()
            .select_related("author")
            .with_lesson_counts()
            .filter(slug=slug)
            .first()
        )
        if course is None:
            return None
        lessons = list(
            Lesson.objects.filter(course=course)
            .published()
            .in_order()
            .only("id", "course_id", "position", "slug", "title", "xp_reward")
            .for_listing()
        )
        return course, lessons

    return CATALOG.get(f"course:{slug}", build)


def lesson_page(course_slug, lesson_slug) -> dict | None:
    """The lesson (body rendered once, at save), its course and its neighbours."""

    def build():
        lesson = (
            Lesson.objects.of_published_courses()
            .select_related("course")
            .defer("solution")  # the reference solution never reaches a page, nor this cache
            .filter(course__slug=course_slug, slug=lesson_slug)
            .first()
        )
        if lesson is None:
            return None
        siblings = list(
            Lesson.objects.filter(course=lesson.course)
            .published()
            .in_order()
            .values("slug", "title")
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling["slug"] == lesson.slug)
        return {
            "lesson": lesson,
            "course": lesson.course,
            "previous_lesson": siblings[index - 1] if index > 0 else None,
            "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
            "position": index + 1,
            "lesson_total": len(siblings),
        }

    return CATALOG.get(f"lesson:{course_slug}:{lesson_slug}", build)


def reference_solution(lesson_id) -> str:
    """A lesson's reference solution, for the exercise runner only: kept apart from the cached
    lesson page, which never holds it."""
    return CATALOG.get(
        f"solution:{lesson_id}",
        lambda: (
            Lesson.objects.filter(pk=lesson_id).values_list("solution", flat=True).first() or ""
        ),
    )
