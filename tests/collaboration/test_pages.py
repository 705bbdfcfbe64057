"""A room as its page reads it: one compiled query, the same room the page showed before."""

import pytest
from django.contrib.auth.models import AnonymousUser

from collaboration import chat
from collaboration.models import RoomMember
from collaboration.pages import room_for_page
from tests.factories import ChatMessageFactory, LessonFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_room_with_its_owner_lesson_chat_version_and_who_may_edit(django_assert_num_queries):
    lesson = LessonFactory(title="Mappings")
    room = RoomFactory(lesson=lesson, code="contract Shared {}", code_version=3)
    member, stranger = UserFactory(), UserFactory()
    RoomMember.objects.create(room=room, user=member)
    ChatMessageFactory(room=room)

    with django_assert_num_queries(1):
        read = room_for_page(room.slug, room.owner)
        shown = (read.owner.username, read.lesson.title, read.lesson.get_absolute_url())
        shown += (read.lesson.course.title, read.code, read.code_version)
    assert shown == (
        room.owner.username, "Mappings", lesson.get_absolute_url(), lesson.course.title,
        "contract Shared {}", 3,
    )  # fmt: skip
    assert (read.pk, read.slug, read.title) == (room.pk, room.slug, room.title)
    assert chat.version_of(read) == chat.version_of(room.slug)
    editable = {
        who: room_for_page(room.slug, user).editable
        for who, user in [
            ("owner", room.owner), ("member", member), ("stranger", stranger),
            ("visitor", AnonymousUser()),
        ]
    }  # fmt: skip
    assert editable == {"owner": True, "member": True, "stranger": False, "visitor": False}


def test_a_room_without_a_lesson_and_rooms_that_are_not_there():
    room = RoomFactory(lesson=None)
    assert room_for_page(room.slug, AnonymousUser()).lesson is None
    RoomFactory(slug="closed", active=False)
    assert room_for_page("closed", AnonymousUser()) is None
    assert room_for_page("nowhere", UserFactory()) is None
