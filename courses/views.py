from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core import page_cache
from core.http import csrf_failure_reason, requester_key
from core.offline import offline_readable
from core.page_cache import cached_page
from courses import catalog
from courses.catalog import CATALOG
from courses.exercises import check_solution
from courses.forms import SolutionForm
from courses.models import Course
from courses.rendering import render_markdown
from courses.search import clean_query, search_lessons
from courses.services import complete_lesson, enroll


@require_safe
@cached_page(CATALOG)
def home(request):
    return render(request, "home.html", {"courses": catalog.published_courses()[:3]})


@require_safe
@cached_page(CATALOG)
def catalog_page(request):
    return render(request, "courses/catalog.html", {"courses": catalog.published_courses()})


@require_safe
@cached_page(CATALOG)
def course_detail(request, course):
    outline = catalog.course_outline(course)
    if outline is None:
        raise Http404("No such course.")
    course, lessons = outline
    # What the learner did is filled in per reader (courses/personal.py).
    return render(request, "courses/course.html", {"course": course, "lessons": lessons})


@require_POST
@login_required
def enroll_in_course(request, course):
    course = get_object_or_404(Course.objects.published(), slug=course)
    enroll(user=request.user, course=course)
    messages.success(request, f"You are enrolled in {course.title}.")
    return redirect(course)


def _lesson_page_or_404(course, lesson):
    page = catalog.lesson_page(course, lesson)
    if page is None:
        raise Http404("No such lesson.")
    return page


EXERCISE = (b"<!--exercise-->", b"<!--/exercise-->")


def _render_lesson(request, page, *, solution_form=None, check=None, status=200, failed_attempts=0):
    lesson = page["lesson"]
    if solution_form is None and lesson.has_exercise:
        solution_form = SolutionForm(initial={"code": lesson.starter_code})
    context = {
        **page,
        "solution_form": solution_form,
        "check": check,
        "failed_attempts": failed_attempts,
        # One more hint after each failed attempt (none once it passes), never the solution.
        "hints": []
        if check is not None and check.passed
        else [render_markdown(hint) for hint in lesson.hints[:failed_attempts]],
    }
    if request.headers.get("X-Check"):
        # A check from the page's script replaces only its result, without a reload.
        response = render(request, "courses/_check_response.html", context, status=status)
    elif request.method == "POST" and (answer := _stored_with_exercise(lesson, context)):
        # Never for the page itself: its rebuild would copy the stored page it replaces.
        response = HttpResponse(answer, status=status)
    else:
        response = render(request, "courses/lesson.html", context, status=status)
    if check is not None:
        for name, value in check.attempt.headers.items():
            response[name] = value
    return response


def _stored_with_exercise(lesson, context) -> bytes | None:
    """The lesson page as stored for everyone, with its exercise section rendered for this
    check (the learner's code, the verdict, the hints): one small template instead of the page.
    None when the page is not stored."""
    stored = page_cache.stored(CATALOG, lesson.get_absolute_url())
    if stored is None:
        return None
    start, end = stored.find(EXERCISE[0]), stored.find(EXERCISE[1])
    if start < 0 or end < start:
        return None
    section = render_to_string("courses/_exercise.html", context).encode()
    return b"".join((stored[: start + len(EXERCISE[0])], section, stored[end:]))


@require_safe
@offline_readable
@cached_page(CATALOG)
def lesson_detail(request, course, lesson):
    page = _lesson_page_or_404(course, lesson)
    return _render_lesson(request, page)


@csrf_exempt  # checked below for logged-in learners; anonymous checks carry no credential
@require_POST
def check_exercise(request, course, lesson):
    """Check my solution: runs the exercise's tests against the posted code in the EVM.

    Works without JavaScript and without an account; only a logged-in learner's pass completes
    the lesson. Renders the lesson page again with every test's verdict and the learner's code
    (or only the verdict, for the page's script). The anonymous lesson page carries no CSRF
    token, so that it can be cached whole.
    """
    if request.user.is_authenticated and (reason := csrf_failure_reason(request)):
        return render(request, "403_csrf.html", {"reason": reason}, status=403)
    page = _lesson_page_or_404(course, lesson)
    lesson = page["lesson"]
    if not lesson.has_exercise:
        raise Http404("This lesson has no exercise.")
    form = SolutionForm(request.POST)
    if not form.is_valid():
        return _render_lesson(request, page, solution_form=form, status=400)
    result = check_solution(
        user=request.user,
        lesson=lesson,
        source=form.cleaned_data["code"],
        requester=requester_key(request),
    )
    failed_attempts = form.cleaned_data["failed_attempts"] or 0
    if result.run is not None and not result.passed:
        failed_attempts += 1
    # Whether the lesson is now completed is filled in per learner (courses/personal.py).
    return _render_lesson(
        request,
        page,
        solution_form=form,
        check=result,
        status=result.attempt.status,
        failed_attempts=failed_attempts,
    )


@require_POST
@login_required
def complete(request, course, lesson):
    lesson = _lesson_page_or_404(course, lesson)["lesson"]
    if lesson.has_exercise:
        return render(
            request,
            "403.html",
            {
                "exception": "This lesson has an exercise: it is completed by a solution that "
                "passes its tests. Use Check my solution on the lesson page."
            },
            status=403,
        )
    result = complete_lesson(user=request.user, lesson=lesson)
    if result.newly_completed:
        text = f"Lesson complete: +{result.xp_awarded} XP."
        if result.course_completed:
            text += f" You finished {lesson.course.title}!"
        messages.success(request, text)
    else:
        messages.info(request, "You had already completed this lesson.")
    return redirect(lesson.get_absolute_url())


@require_safe
@cached_page(CATALOG, query=("q",))
def search(request):
    """Lessons matching ?q=, best first, with highlighted snippets; cached like the catalog."""
    query = clean_query(request.GET.get("q"))
    return render(request, "courses/search.html", {"query": query, "hits": search_lessons(query)})


@require_safe
@cached_page(CATALOG, shared=True)
def api_courses(request):
    return JsonResponse({"results": catalog.courses_json()})
