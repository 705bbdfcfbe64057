from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.admin_lists import DeferringChangeList, EstimatedCountPaginator
from courses.forms import LessonAdminForm
from courses.models import Course, Enrollment, ExercisePass, Lesson, LessonProgress

# The learners' tables (a row per learner and lesson or course) are searched by the learner's
# username prefix, which the users' UPPER(username) index answers before the join; the lesson or
# course is a filter. A search OR-ed across two joined tables can use no index and read them all.
LEARNER_SEARCH = ("^user__username",)
# What a lesson carries that no changelist shows (DeferringChangeList).
LESSON_TEXT = ("body", "body_html", "starter_code", "tests", "solution", "hints", "search_document")
LESSON_TEXT_OF_ROW = tuple(f"lesson__{name}" for name in LESSON_TEXT)

# The form's fields, with the rendered preview after the body (and the course, where it is
# chosen, first).
LESSON_FIELDS = tuple(
    name
    for field in LessonAdminForm.Meta.fields
    if field != "course"
    for name in ((field, "preview") if field == "body" else (field,))
)


def lesson_preview(lesson):
    # body_html is sanitised when the lesson is saved (courses.rendering).
    if not lesson.pk:
        return "Shown once the lesson is saved."
    return format_html('<div class="lesson-body">{}</div>', mark_safe(lesson.body_html))


class LessonInline(admin.StackedInline):
    model = Lesson
    form = LessonAdminForm
    extra = 0
    fields = LESSON_FIELDS
    readonly_fields = ("preview",)
    prepopulated_fields = {"slug": ("title",)}
    ordering = ("position",)

    @admin.display(description="Rendered preview")
    def preview(self, lesson):
        return lesson_preview(lesson)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "position", "author", "published", "from_curriculum")
    list_filter = ("published",)
    list_select_related = ("author",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author",)
    date_hierarchy = "created_at"
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonAdminForm
    fields = ("course", *LESSON_FIELDS)
    readonly_fields = ("preview",)
    list_display = ("title", "course", "position", "xp_reward", "published", "updated_at")
    list_filter = ("published", "course__published", "course")
    list_select_related = ("course",)
    search_fields = ("title", "slug", "course__title")
    autocomplete_fields = ("course",)
    ordering = ("course", "position")
    list_defer = LESSON_TEXT

    def get_changelist(self, request, **kwargs):
        return DeferringChangeList

    @admin.display(description="Rendered preview")
    def preview(self, lesson):
        return lesson_preview(lesson)


@admin.register(ExercisePass)
class ExercisePassAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "gas", "passed_at")
    list_filter = ("lesson__course",)
    list_select_related = ("user", "lesson")
    search_fields = LEARNER_SEARCH
    raw_id_fields = ("user", "lesson")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_defer = LESSON_TEXT_OF_ROW

    def get_changelist(self, request, **kwargs):
        return DeferringChangeList


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "status", "created_at", "completed_at")
    list_filter = ("status", "course")
    list_select_related = ("user", "course")
    search_fields = LEARNER_SEARCH
    autocomplete_fields = ("user", "course")
    paginator = EstimatedCountPaginator
    show_full_result_count = False


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "completed", "completed_at", "updated_at")
    list_filter = ("completed", "lesson__course")
    list_select_related = ("user", "lesson", "lesson__course")
    search_fields = LEARNER_SEARCH
    autocomplete_fields = ("user", "lesson")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_defer = LESSON_TEXT_OF_ROW

    def get_changelist(self, request, **kwargs):
        return DeferringChangeList
