from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from core.images.registry import register_optimized_image
        from courses import personal, receivers, warming  # noqa: F401
        from courses.models import Course
        from courses.tasks import optimize_course_cover

        register_optimized_image(model=Course, field_name="cover", task=optimize_course_cover)
