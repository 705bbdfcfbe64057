from django.contrib import admin

from courses.models import Course, Enrollment, Lesson, LessonProgress


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = ("position", "slug", "title", "xp_reward", "published", "body", "starter_code")
    prepopulated_fields = {"slug": ("title",)}
    ordering = ("position",)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "author", "published", "created_at")
    list_filter = ("published",)
    list_select_related = ("author",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author",)
    date_hierarchy = "created_at"
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "position", "xp_reward", "updated_at")
    list_filter = ("course__published", "course")
    list_select_related = ("course",)
    search_fields = ("title", "slug", "course__title")
    autocomplete_fields = ("course",)
    ordering = ("course", "position")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "status", "created_at", "completed_at")
    list_filter = ("status",)
    list_select_related = ("user", "course")
    search_fields = ("user__username", "course__title")
    autocomplete_fields = ("user", "course")
    show_full_result_count = False


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "completed", "completed_at", "updated_at")
    list_filter = ("completed",)
    list_select_related = ("user", "lesson", "lesson__course")
    search_fields = ("user__username", "lesson__title")
    autocomplete_fields = ("user", "lesson")
    show_full_result_count = False
