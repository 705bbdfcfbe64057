import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.models import Course, Enrollment, Lesson, LessonProgress
from leaderboard.models import Achievement, UserAchievement

PASSWORD = "correct-horse-battery-staple"


def image_bytes(*, size=(1600, 900), image_format="PNG") -> bytes:
    """A small picture with some detail (stripes), so encoders have something to encode."""
    image = Image.new("RGB", size, (75, 63, 214))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 40):
        draw.rectangle([x, 0, x + 19, size[1]], fill=(245, 165, 36))
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


def image_upload(name="picture.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/png")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    last_active_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "Learn something about Solidity."
    published = True
    author = factory.SubFactory(UserFactory)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = "Some **text** and code:\n\n```solidity\ncontract A { uint256 public x; }\n```\n"
    xp_reward = 10


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)
    completed = True
    completed_at = factory.LazyFunction(timezone.now)


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    code = factory.Sequence(lambda n: f"achievement-{n}")
    name = factory.Sequence(lambda n: f"Achievement {n}")
    rule = Achievement.Rule.XP_THRESHOLD
    threshold = 1_000_000
    xp_bonus = 0


class UserAchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserAchievement

    user = factory.SubFactory(UserFactory)
    achievement = factory.SubFactory(AchievementFactory)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    slug = factory.Sequence(lambda n: f"room-{n}")
    title = factory.Sequence(lambda n: f"Room {n}")
    owner = factory.SubFactory(UserFactory)


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    room = factory.SubFactory(RoomFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message {n}")
