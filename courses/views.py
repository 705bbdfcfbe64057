from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.offline import offline_readable
from courses.models import Course, Enrollment, Lesson
from courses.services import complete_lesson, enroll


@require_GET
def home(request):
    courses = Course.objects.catalog(request.user)[:3]
    return render(request, "home.html", {"courses": courses})


@require_GET
def catalog(request):
    return render(
        request, "courses/catalog.html", {"courses": Course.objects.catalog(request.user)}
    )


@require_GET
def course_detail(request, course):
    course = get_object_or_404(
        Course.objects.published().select_related("author").with_lesson_counts(), slug=course
    )
    lessons = (
        course.lessons.in_order()
        .with_done_for(request.user)
        .only("id", "course_id", "position", "slug", "title", "xp_reward")
    )
    enrollment = None
    if request.user.is_authenticated:
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
@offline_readable
def lesson_detail(request, course, lesson):
    lesson = get_object_or_404(
        Lesson.objects.of_published_courses().select_related("course").with_done_for(request.user),
        course__slug=course,
        slug=lesson,
    )
    siblings = list(lesson.course.lessons.in_order().values("slug", "title"))
    index = next(i for i, sibling in enumerate(siblings) if sibling["slug"] == lesson.slug)
    previous_lesson = siblings[index - 1] if index > 0 else None
    next_lesson = siblings[index + 1] if index + 1 < len(siblings) else None
    return render(
        request,
        "courses/lesson.html",
        {
            "course": lesson.course,
            "lesson": lesson,
            "previous_lesson": previous_lesson,
            "next_lesson": next_lesson,
            "position": index + 1,
            "lesson_total": len(siblings),
        },
    )


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
def api_courses(request):
    courses = (
        Course.objects.published()
        .with_lesson_counts()
        .newest_first()
        .values("id", "slug", "title", "summary", "lesson_count", "created_at")
    )
    return JsonResponse({"results": list(courses)})
