from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collaboration.models import ChatMessage, Room
from collaboration.services import Draft, post_message, post_messages, save_code
from leaderboard.models import UserAchievement
from tests.factories import ChatMessageFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_batch_of_messages_is_saved_and_only_first_messages_earn_the_first_chat_achievement():
    room = RoomFactory()
    veteran, newcomer = UserFactory(), UserFactory()
    ChatMessageFactory(room=room, author=veteran)
    drafts = [
        Draft(room=room, author=veteran, body="again"),
        Draft(room=room, author=newcomer, body="hello"),
        Draft(room=room, author=newcomer, body="me again"),
    ]

    messages = post_messages(drafts=drafts)

    assert [message.body for message in messages] == ["again", "hello", "me again"]
    assert all(message.pk and message.created_at for message in messages)
    earned = UserAchievement.objects.filter(achievement__code="first-chat")
    assert list(earned.values_list("user", flat=True)) == [newcomer.pk]


def test_a_batch_runs_the_same_queries_whatever_its_size():
    rooms = RoomFactory.create_batch(2)
    authors = UserFactory.create_batch(4)
    for author in authors:
        ChatMessageFactory(room=rooms[0], author=author)

    def queries(count):
        drafts = [
            Draft(room=rooms[n % 2], author=authors[n % 4], body=f"{n}") for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            post_messages(drafts=drafts)
        return len(captured)

    assert queries(2) == queries(40)


def test_chat_moves_the_rooms_updated_at_at_most_every_few_seconds():
    room = RoomFactory()
    long_ago = timezone.now() - timedelta(minutes=5)
    Room.objects.filter(pk=room.pk).update(updated_at=long_ago)
    author = UserFactory()

    post_messages(drafts=[Draft(room=room, author=author, body="one")])
    touched = Room.objects.get(pk=room.pk).updated_at
    post_messages(drafts=[Draft(room=room, author=author, body="two")])

    assert touched > long_ago
    assert Room.objects.get(pk=room.pk).updated_at == touched
    assert ChatMessage.objects.count() == 2


def test_authors_the_caller_knows_have_posted_are_not_asked_about():
    room = RoomFactory()
    known, newcomer = UserFactory(), UserFactory()
    ChatMessageFactory(room=room, author=known)

    def queries(drafts, known_posters):
        with CaptureQueriesContext(connection) as captured:
            post_messages(drafts=drafts, known_posters=known_posters)
        return [query["sql"] for query in captured]

    told = queries([Draft(room=room, author=known, body="x")], frozenset({known.pk}))
    asked = queries([Draft(room=room, author=newcomer, body="y")], frozenset({known.pk}))

    assert not any("EXISTS" in sql for sql in told)
    assert any("EXISTS" in sql for sql in asked)
    earned = UserAchievement.objects.filter(achievement__code="first-chat")
    assert list(earned.values_list("user", flat=True)) == [newcomer.pk]


def test_a_learner_seen_posting_is_not_asked_about_again_once_their_message_committed(
    django_capture_on_commit_callbacks,
):
    room, author = RoomFactory(), UserFactory()

    def exists_queries():
        with CaptureQueriesContext(connection) as captured:
            post_message(room=room, author=author, body="hello")
        return [query["sql"] for query in captured if "EXISTS" in query["sql"]]

    with django_capture_on_commit_callbacks(execute=False):
        assert exists_queries()  # their first: asked, and earns the achievement
    assert exists_queries()  # that one never committed: asked again
    with django_capture_on_commit_callbacks(execute=True):
        exists_queries()
    assert exists_queries() == []
    earned = UserAchievement.objects.filter(achievement__code="first-chat", user=author)
    assert earned.count() == 1


def test_writes_announce_themselves_once_committed_and_stale_edits_not_at_all(
    django_capture_on_commit_callbacks,
):
    room = RoomFactory(code="v0")
    editor = room.owner
    with django_capture_on_commit_callbacks(execute=False) as saved:
        assert save_code(room=room, editor=editor, code="v1", base_version=0) == 1
    with django_capture_on_commit_callbacks(execute=False) as stale:
        assert save_code(room=room, editor=editor, code="old", base_version=0) is None
    with django_capture_on_commit_callbacks(execute=False) as posted:
        post_messages(drafts=[Draft(room=room, author=editor, body="hi")])

    # Each write hands its announcement to the commit, not to the caller (a first message's
    # achievement also retires the author's cached row then: not an announcement).
    def announcements(callbacks):
        return [c for c in callbacks if getattr(c, "__module__", "") == "collaboration.services"]

    assert [len(announcements(c)) for c in (saved, stale, posted)] == [1, 0, 1]
