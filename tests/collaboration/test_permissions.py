"""Cross-user attempts on every write endpoint: each gets 403 or 404 (or a login) and changes
nothing of anyone else's; fields naming another owner or author are ignored."""

import pytest
from django.urls import reverse

from collaboration.models import ChatMessage, Room, RoomMember
from courses.models import Enrollment, LessonProgress
from tests.conftest import state_of
from tests.factories import (
    ChatMessageFactory,
    CourseFactory,
    LessonFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim():
    return UserFactory()


@pytest.fixture
def victims_room(victim):
    room = RoomFactory(owner=victim, code="the owner's code")
    ChatMessageFactory(room=room, author=victim, body="mine")
    return room


def save_code_url(room):
    return reverse("collaboration:save_code", args=[room.slug])


def test_a_learner_who_has_not_joined_cannot_save_a_rooms_code(
    learner_client, victim, victims_room
):
    before = state_of(victim)
    response = learner_client.post(save_code_url(victims_room), {"code": "pwned", "version": 0})
    assert response.status_code == 403
    assert "owner and members" in response.content.decode()
    assert state_of(victim) == before


def test_a_visitor_cannot_save_a_rooms_code(client, victims_room):
    response = client.post(save_code_url(victims_room), {"code": "pwned", "version": 0})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    victims_room.refresh_from_db()
    assert victims_room.code == "the owner's code"


def test_joining_a_room_lets_a_learner_save_its_code(learner_client, victims_room):
    learner_client.post(reverse("collaboration:join", args=[victims_room.slug]))
    response = learner_client.post(save_code_url(victims_room), {"code": "together", "version": 0})
    assert response.status_code == 302
    victims_room.refresh_from_db()
    assert (victims_room.code, victims_room.code_version) == ("together", 1)


def test_posting_in_a_rooms_chat_joins_it(learner_client, victims_room):
    url = reverse("collaboration:post_message", args=[victims_room.slug])
    learner_client.post(url, {"body": "hello"})
    assert RoomMember.objects.filter(room=victims_room, user=learner_client.learner).exists()
    page = learner_client.get(victims_room.get_absolute_url()).content.decode()
    assert "Save code" in page


def test_the_owner_may_save_without_a_membership_row(learner_client):
    room = RoomFactory(owner=learner_client.learner, code="v0")
    assert not RoomMember.objects.exists()
    learner_client.post(save_code_url(room), {"code": "v1", "version": 0})
    room.refresh_from_db()
    assert room.code == "v1"


def test_the_room_page_offers_join_instead_of_save_to_a_non_member(learner_client, victims_room):
    page = learner_client.get(victims_room.get_absolute_url()).content.decode()
    assert "Save code" not in page and "Join this room" in page
    assert "readonly" in page


def test_joining_twice_is_harmless_and_joins_only_the_poster(learner_client, victim, victims_room):
    url = reverse("collaboration:join", args=[victims_room.slug])
    before = state_of(victim)
    for _ in range(2):
        assert learner_client.post(url, {"user": victim.pk}).status_code == 302
    assert list(RoomMember.objects.values_list("user", flat=True)) == [learner_client.learner.pk]
    assert state_of(victim) == before


def test_an_inactive_room_accepts_no_writes_even_from_its_owner(learner_client):
    room = RoomFactory(owner=learner_client.learner, active=False, code="frozen")
    for name, data in [
        ("save_code", {"code": "changed", "version": 0}),
        ("post_message", {"body": "hi"}),
        ("join", {}),
    ]:
        response = learner_client.post(reverse(f"collaboration:{name}", args=[room.slug]), data)
        assert response.status_code == 404, name
    room.refresh_from_db()
    assert room.code == "frozen" and not ChatMessage.objects.exists()


def test_a_message_is_always_the_posters_whatever_the_form_says(
    learner_client, victim, victims_room
):
    before = state_of(victim)
    url = reverse("collaboration:post_message", args=[victims_room.slug])
    learner_client.post(
        url, {"body": "who wrote this?", "author": victim.pk, "author_id": victim.pk}
    )
    message = ChatMessage.objects.get(body="who wrote this?")
    assert message.author == learner_client.learner
    assert state_of(victim) == before


def test_a_new_room_is_always_the_creators_whatever_the_form_says(learner_client, victim):
    before = state_of(victim)
    learner_client.post(
        reverse("collaboration:rooms"), {"title": "Mine", "owner": victim.pk, "owner_id": victim.pk}
    )
    assert Room.objects.get(title="Mine").owner == learner_client.learner
    assert state_of(victim) == before


def test_compiling_a_rooms_code_never_changes_it(client, victims_room):
    # No compiler is running here: the answer is "unavailable", and still nothing is saved.
    url = reverse("collaboration:compile", args=[victims_room.slug])
    client.post(url, {"code": "contract X {}", "version": 0})
    victims_room.refresh_from_db()
    assert victims_room.code == "the owner's code"


def test_enrolling_enrolls_only_the_poster(learner_client, victim):
    course = CourseFactory()
    before = state_of(victim)
    url = reverse("courses:enroll", args=[course.slug])
    learner_client.post(url, {"user": victim.pk, "user_id": victim.pk})
    assert list(Enrollment.objects.values_list("user", flat=True)) == [learner_client.learner.pk]
    assert state_of(victim) == before


def test_completing_a_lesson_changes_only_the_posters_progress(learner_client, victim):
    lesson = LessonFactory()
    before = state_of(victim)
    url = reverse("courses:complete", args=[lesson.course.slug, lesson.slug])
    learner_client.post(url, {"user": victim.pk, "xp": 1_000_000})
    assert list(LessonProgress.objects.values_list("user", flat=True)) == [
        learner_client.learner.pk
    ]
    assert state_of(victim) == before


@pytest.mark.parametrize("name", ["enroll", "complete"])
def test_draft_courses_accept_no_progress(learner_client, name):
    lesson = LessonFactory(course=CourseFactory(published=False))
    args = [lesson.course.slug] if name == "enroll" else [lesson.course.slug, lesson.slug]
    response = learner_client.post(reverse(f"courses:{name}", args=args))
    assert response.status_code == 404
    assert not Enrollment.objects.exists() and not LessonProgress.objects.exists()


def test_changing_a_password_changes_only_ones_own(learner_client, password, victim):
    before = state_of(victim)
    learner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "x-new-pass-123",
            "new_password2": "x-new-pass-123",
            "username": victim.username,
            "user": victim.pk,
        },
    )
    assert state_of(victim) == before
    learner_client.learner.refresh_from_db()
    assert learner_client.learner.check_password("x-new-pass-123")


def test_signup_ignores_fields_that_would_grant_power(client):
    from accounts.models import User

    client.post(
        reverse("accounts:signup"),
        {
            "username": "climber",
            "email": "climber@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "is_staff": "on",
            "is_superuser": "on",
            "xp": "999999",
        },
    )
    user = User.objects.get(username="climber")
    assert (user.is_staff, user.is_superuser, user.xp) == (False, False, 0)


def test_a_learner_cannot_change_anyone_through_the_admin(learner_client, victim):
    before = state_of(victim)
    url = reverse("admin:accounts_user_change", args=[victim.pk])
    response = learner_client.post(url, {"username": "renamed", "is_staff": "on"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert state_of(victim) == before


def test_staff_without_permissions_get_403_in_the_admin(client, victim):
    client.force_login(UserFactory(is_staff=True))
    before = state_of(victim)
    url = reverse("admin:accounts_user_change", args=[victim.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"username": "renamed"}).status_code == 403
    assert state_of(victim) == before
