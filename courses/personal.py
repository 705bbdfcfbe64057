"""A learner's own progress on the shared catalog, course and lesson pages (core/personal.py).

Each fragment reads the learner's cached progress (courses.progress), which their completions
and enrollments bump: what they just did shows on their very next page.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.personal import csrf_field, fragment, learner_entries, remembered
from courses import progress


@learner_entries
def learner_progress(user_id):
    return [(progress.PROGRESS, user_id)]


def _progress(reader):
    return remembered(reader, "progress", lambda: progress.of(reader.user))


def _login_url(next_path):
    # Encoded as the templates' `|urlencode` does it: the path's slashes stay.
    return f"{reverse('accounts:login')}?next={quote(next_path, safe='/')}"


@fragment("course_progress")
def course_progress(reader, course, lessons):
    """A catalog card's progress bar. Numbers only, so no escaping to pay for on each card."""
    if not reader.user.is_authenticated or not lessons:
        return ""
    mine = _progress(reader)
    done, lessons = int(mine.completed_by_course.get(course, 0)), int(lessons)
    enrolled = " · enrolled" if course in mine.enrollments else ""
    return mark_safe(
        f'<p class="progress-line"><progress max="{lessons}" value="{done}"></progress>\n'
        f"{done}/{lessons} done{enrolled}</p>"
    )


@fragment("enrollment")
def enrollment(reader, course, slug, path):
    """A course page's enrollment: the learner's status, or the Enroll button, or a sign-in."""
    if not reader.user.is_authenticated:
        return format_html(
            '<p><a href="{}">Log in</a> to track your progress.</p>', _login_url(path)
        )
    status = _progress(reader).enrollments.get(course)
    if status == "completed":
        return '<p class="status">Course completed ✓</p>'
    if status:
        return '<p class="status">You are enrolled.</p>'
    return format_html(
        '<form method="post" action="{}">{}<button type="submit">Enroll</button></form>',
        reverse("courses:enroll", args=[slug]),
        csrf_field(reader),
    )


def _done(reader, lesson) -> bool:
    return reader.user.is_authenticated and lesson in _progress(reader).completed


@fragment("lesson_class")
def lesson_class(reader, lesson):
    """The class of a lesson's line in a course's outline: "done" once completed."""
    return "done" if _done(reader, lesson) else ""


@fragment("lesson_done")
def lesson_done(reader, lesson):
    if not _done(reader, lesson):
        return ""
    return ' · <span role="img" aria-label="completed">done ✓</span>'


COMPLETED = mark_safe('<p class="status">You completed this lesson ✓</p>')


@fragment("lesson_status")
def lesson_status(reader, lesson, course, slug, xp, exercise, url):
    """Whether the learner completed the lesson, and how they can: built here rather than by a
    template, since every signed-in lesson page and every check fills it."""
    signed_in = reader.user.is_authenticated
    if _done(reader, lesson):
        status = COMPLETED
    elif exercise:
        how = (
            "Pass every test"
            if signed_in
            else format_html('<a href="{}">Log in</a> and pass every test', _login_url(url))
        )
        status = format_html("<p>{} to complete this lesson and earn {} XP.</p>", how, xp)
    elif signed_in:
        status = format_html(
            '<form method="post" action="{}">{}\n'
            '      <button type="submit">Mark complete (+{} XP)</button>\n    </form>',
            reverse("courses:complete", args=[course, slug]),
            csrf_field(reader),
            xp,
        )
    else:
        status = format_html(
            '<p><a href="{}">Log in</a> to earn {} XP for this lesson.</p>',
            _login_url(url),
            xp,
        )
    return format_html('<section class="complete" id="lesson-status">\n  {}\n</section>', status)
