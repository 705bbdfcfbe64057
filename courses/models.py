from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models import F, OuterRef
from django.urls import reverse

from core.images.validation import validate_image
from core.queries import ListingQuerySet, SubqueryCount
from courses.rendering import render_markdown


class CourseQuerySet(ListingQuerySet):
    def published(self):
        return self.filter(published=True)

    def newest_first(self):
        return self.order_by("-created_at", "-id")

    def in_catalog_order(self):
        """The curriculum's order (course.toml positions), then newest first."""
        return self.order_by("position", "-created_at", "-id")

    def with_lesson_counts(self):
        return self.annotate(
            lesson_count=SubqueryCount(Lesson.objects.filter(course=OuterRef("pk"), published=True))
        )


class Course(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    cover = models.ImageField(upload_to="covers/", blank=True, validators=[validate_image])
    # The WebP and AVIF variants of `cover` (see core.images.variants), written by a Celery task.
    cover_variants = models.JSONField(default=dict, db_default={}, blank=True, editable=False)
    published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0, db_default=0)
    # Courses that `load_curriculum` made from curriculum/ files; it never touches the others.
    from_curriculum = models.BooleanField(default=False, db_default=False, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courses_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                "published", "position", F("created_at").desc(), name="course_published_position"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course", kwargs={"course": self.slug})


def lesson_search_document():
    """What lesson search matches on PostgreSQL (courses.search), weighted title over body over
    starter code; stored in `Lesson.search_document` whenever a lesson is saved."""
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english")
        + SearchVector("starter_code", weight="C", config="english")
    )


class LessonQuerySet(ListingQuerySet):
    def in_order(self):
        return self.order_by("position", "id")

    def published(self):
        return self.filter(published=True)

    def of_published_courses(self):
        return self.filter(published=True, course__published=True)

    def published_by_key(self, raw_pk):
        """The published lesson with this key (from a query string), or None."""
        # Not str.isdigit(): it accepts "²", which int() refuses.
        try:
            pk = int(raw_pk)
        except (TypeError, ValueError):
            return None
        if pk <= 0:
            return None
        return self.of_published_courses().select_related("course").filter(pk=pk).first()


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField(default=1)
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Code fences marked `solidity` are highlighted.")
    body_html = models.TextField(editable=False, default="")
    xp_reward = models.PositiveIntegerField(default=10)
    # A lesson that left the curriculum's files is unpublished, never deleted: progress stays.
    published = models.BooleanField(default=True, db_default=True)
    starter_code = models.TextField(blank=True)
    tests = models.TextField(
        blank=True,
        help_text="The exercise: a Foundry-style Solidity test file (see curriculum/README.md). "
        "A lesson with tests is completed only by a solution that passes them all.",
    )
    solution = models.TextField(
        blank=True,
        help_text="The reference solution: it must pass every test. Never shown to learners.",
    )
    hints = models.JSONField(
        default=list,
        blank=True,
        help_text='Hints offered one at a time after failed attempts: ["first", "second"].',
    )
    # Stored, not computed per query: ranking a common word's thousands of matches would parse
    # every one of their bodies again. Written by save() on PostgreSQL; empty elsewhere.
    search_document = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("course", "slug", name="lesson_unique_slug_in_course"),
        ]
        indexes = [
            models.Index("course", "position", name="lesson_course_position"),
            # PostgreSQL only: its migration skips it elsewhere (core.migration_operations).
            GinIndex(fields=["search_document"], name="lesson_search"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)
        if connection.vendor == "postgresql" and (
            update_fields is None or {"title", "body", "starter_code"} & set(update_fields)
        ):
            Lesson.objects.filter(pk=self.pk).update(search_document=lesson_search_document())

    def get_absolute_url(self):
        return reverse("courses:lesson", kwargs={"course": self.course.slug, "lesson": self.slug})

    @property
    def has_exercise(self):
        return bool(self.tests.strip())


class EnrollmentQuerySet(ListingQuerySet):
    def completed(self):
        return self.filter(status=Enrollment.Status.COMPLETED)

    def completed_courses_of(self, user):
        return (
            self.completed()
            .filter(user=user)
            .select_related("course")
            .order_by("-completed_at", "-id")
            .for_listing()
        )


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "course", name="enrollment_unique_user_course"),
        ]
        indexes = [models.Index("user", "status", name="enrollment_user_status")]

    def __str__(self):
        return f"{self.user} in {self.course}"


class LessonProgressQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(completed=True)


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint("user", "lesson", name="progress_unique_user_lesson"),
        ]
        indexes = [
            models.Index("user", "completed", "updated_at", name="progress_user_completed"),
            models.Index("lesson", "completed", name="progress_lesson_completed"),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class ExercisePassQuerySet(models.QuerySet):
    def of_lesson(self, lesson_id):
        return self.filter(lesson_id=lesson_id)


class ExercisePass(models.Model):
    """A learner's passing solution of an exercise, by its gas: the lowest they reached."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_passes"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="passes")
    gas = models.PositiveBigIntegerField()
    passed_at = models.DateTimeField()

    objects = ExercisePassQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "lesson", name="exercise_pass_unique_user_lesson"),
        ]
        indexes = [models.Index("lesson", "gas", name="exercise_pass_lesson_gas")]

    def __str__(self):
        return f"{self.user} · {self.lesson} · {self.gas} gas"
