import factory
from django.utils import timezone

from accounts.models import User
from collaboration.models import ChatMessage, Room
from courses.models import Course, Enrollment, Lesson, LessonProgress
from leaderboard.models import Achievement, UserAchievement

PASSWORD = "correct-horse-battery-staple"


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
