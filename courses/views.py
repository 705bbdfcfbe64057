from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.page_cache import cached_page
from courses import catalog
from courses.catalog import CATALOG
from courses.models import Course, Enrollment, Lesson, LessonProgress
from courses.services import complete_lesson, enroll


@require_GET
@cached_page(CATALOG)
def home(request):
    courses = catalog.with_progress(catalog.published_courses()[:3], request.user)
    return render(request, "home.html", {"courses": courses})


@require_GET
@cached_page(CATALOG)
def catalog_page(request):
    courses = catalog.with_progress(catalog.published_courses(), request.user)
    return render(request, "courses/catalog.html", {"courses": courses})


@require_GET
@cached_page(CATALOG)
def course_detail(request, course):
    outline = catalog.course_outline(course)
    if outline is None:
        raise Http404("No such course.")
    course, lessons = outline
    enrollment = None
    if request.user.is_authenticated:
        done = LessonProgress.objects.completed_lesson_ids(request.user, course)
        for lesson in lessons:
            lesson.done = lesson.pk in done
        enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    return render(
        request,
        "courses/course.html",
        {"course": course, "lessons": lessons, "enrollment": enrollment},
    )


@require_POST
@login_required
def enroll_in_course(request, course):
    course = get_object_or_404(Course.objects.published(), slug=course)
    enroll(user=request.user, course=course)
    messages.success(request, f"You are enrolled in {course.title}.")
    return redirect(course)


@require_GET
@cached_page(CATALOG)
def lesson_detail(request, course, lesson):
    page = catalog.lesson_page(course, lesson)
    if page is None:
        raise Http404("No such lesson.")
    done = request.user.is_authenticated and (
        LessonProgress.objects.completed().filter(user=request.user, lesson=page["lesson"]).exists()
    )
    return render(request, "courses/lesson.html", {**page, "done": done})


@require_POST
@login_required
def complete(request, course, lesson):
    lesson = get_object_or_404(
        Lesson.objects.of_published_courses().select_related("course"),
        course__slug=course,
        slug=lesson,
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


@require_GET
@cached_page(CATALOG)
def api_courses(request):
    return JsonResponse({"results": catalog.courses_json()})
