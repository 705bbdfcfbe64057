from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collaboration.models import ChatMessage, Room
from leaderboard.models import UserAchievement
from tests.factories import ChatMessageFactory, LessonFactory, RoomFactory, StaffFactory
from tests.test_query_counts import PAGE_QUERY_BUDGET

pytestmark = pytest.mark.django_db


def test_the_rooms_page_lists_active_rooms_with_message_counts(client):
    room = RoomFactory(title="Gas golf")
    ChatMessageFactory.create_batch(2, room=room)
    RoomFactory(title="Closed room", active=False)
    response = client.get(reverse("collaboration:rooms"))
    body = response.content.decode()
    assert "Gas golf" in body and "2 messages" in body
    assert "Closed room" not in body


def test_a_learner_creates_a_room_tied_to_a_lesson_with_its_starter_code(learner_client):
    lesson = LessonFactory(starter_code="contract Start {}")
    response = learner_client.post(
        reverse("collaboration:rooms"), {"title": "Pairing on Start", "lesson": lesson.pk}
    )
    room = Room.objects.get()
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
    assert (room.owner, room.lesson, room.code) == (
        learner_client.learner,
        lesson,
        "contract Start {}",
    )


@pytest.mark.parametrize(
    "data", [{"title": ""}, {"title": "x" * 500}, {"title": "ok", "lesson": "999999"}]
)
def test_creating_a_room_with_bad_input_shows_errors(learner_client, data):
    response = learner_client.post(reverse("collaboration:rooms"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Room.objects.exists()


def test_anonymous_visitors_cannot_create_rooms(client):
    response = client.post(reverse("collaboration:rooms"), {"title": "Sneaky"})
    assert response.status_code == 302
    assert not Room.objects.exists()


def test_the_room_page_shows_code_and_chat(client):
    room = RoomFactory(code="contract Shared {}")
    ChatMessageFactory(room=room, body="<b>hello</b>")
    response = client.get(room.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "contract Shared {}" in body
    assert "&lt;b&gt;hello&lt;/b&gt;" in body and "<b>hello</b>" not in body


def test_the_chat_log_shows_each_message_escaped_with_its_author_time_and_line_breaks(client):
    room = RoomFactory()
    at = datetime(2026, 3, 4, 9, 5, 7, tzinfo=UTC)
    first = ChatMessageFactory(room=room, body="gm")
    second = ChatMessageFactory(room=room, body="line <one>\r\nline & two")
    ChatMessage.objects.filter(pk=first.pk).update(created_at=at)  # created_at is auto_now_add
    ChatMessage.objects.filter(pk=second.pk).update(created_at=at + timedelta(minutes=1))
    body = client.get(reverse("collaboration:messages", args=[room.slug])).content.decode()
    assert (
        f'<li data-id="{first.pk}"><strong>{first.author.username}</strong> '
        '<time datetime="2026-03-04T09:05:07+00:00" class="meta">09:05</time><p>gm</p></li>'
        f'<li data-id="{second.pk}"><strong>{second.author.username}</strong> '
        '<time datetime="2026-03-04T09:06:07+00:00" class="meta">09:06</time>'
        "<p>line &lt;one&gt;<br>line &amp; two</p></li>"
    ) in body


def test_a_chat_item_made_once_still_shows_an_edited_body_and_the_time_zone_in_use():
    from django.utils import timezone

    from collaboration.chat import log_html
    from collaboration.models import ChatAuthor, ChatLine

    at = datetime(2026, 3, 4, 9, 5, tzinfo=UTC)
    line = ChatLine(7, ChatAuthor("ada"), "first <draft>", at)
    assert "<p>first &lt;draft&gt;</p>" in log_html([line])
    assert "<p>first &lt;draft&gt;</p>" in log_html([line])  # made once, the same again
    edited = log_html([line._replace(body="the final word")])
    assert "<p>the final word</p>" in edited and "draft" not in edited
    with timezone.override("Europe/Paris"):
        assert '<time datetime="2026-03-04T10:05:00+01:00" class="meta">10:05</time>' in (
            log_html([line])
        )
    assert '<time datetime="2026-03-04T09:05:00+00:00" class="meta">09:05</time>' in (
        log_html([line])
    )


def test_an_empty_chat_says_so(client):
    room = RoomFactory()
    body = client.get(reverse("collaboration:messages", args=[room.slug])).content.decode()
    assert "No messages yet. Say hello!" in body


def test_an_inactive_room_is_404(client):
    room = RoomFactory(active=False)
    assert client.get(room.get_absolute_url()).status_code == 404


def test_posting_a_message_saves_it_and_earns_the_first_chat_achievement(learner_client):
    room = RoomFactory()
    url = reverse("collaboration:post_message", args=[room.slug])
    response = learner_client.post(url, {"body": "Hello room"})
    assert response.status_code == 302
    assert ChatMessage.objects.get().body == "Hello room"
    earned = UserAchievement.objects.filter(user=learner_client.learner)
    assert list(earned.values_list("achievement__code", flat=True)) == ["first-chat"]
    learner_client.post(url, {"body": "Again"})
    assert earned.count() == 1


def test_posting_through_htmx_returns_the_message_list(learner_client):
    room = RoomFactory()
    url = reverse("collaboration:post_message", args=[room.slug])
    response = learner_client.post(url, {"body": "via htmx"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "via htmx" in response.content.decode()
    bad = learner_client.post(url, {"body": "  "}, headers={"HX-Request": "true"})
    assert bad.status_code == 400
    assert "Message not sent" in bad.content.decode()


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_a_bad_message_is_refused_and_nothing_is_saved(learner_client, body):
    room = RoomFactory()
    response = learner_client.post(
        reverse("collaboration:post_message", args=[room.slug]), {"body": body}
    )
    assert response.status_code == 302
    assert not ChatMessage.objects.exists()


def test_anonymous_visitors_cannot_post(client):
    room = RoomFactory()
    client.post(reverse("collaboration:post_message", args=[room.slug]), {"body": "hi"})
    assert not ChatMessage.objects.exists()


def test_polling_answers_304_when_nothing_is_new(client):
    room = RoomFactory()
    ChatMessageFactory(room=room)
    url = reverse("collaboration:messages", args=[room.slug])
    first = client.get(url)
    assert first.status_code == 200
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("moderation", ["delete", "edit"])
def test_a_poller_holding_the_list_gets_the_moderated_one_not_a_304(client, moderation):
    room = RoomFactory()
    older = ChatMessageFactory(room=room, body="stays")
    newest = ChatMessageFactory(room=room, body="rude words")
    url = reverse("collaboration:messages", args=[room.slug])
    first = client.get(url)
    assert "rude words" in first.content.decode()

    admin_client = Client()
    admin_client.force_login(StaffFactory())
    if moderation == "delete":
        delete = reverse("admin:collaboration_chatmessage_delete", args=[newest.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    else:
        change = reverse("admin:collaboration_chatmessage_change", args=[newest.pk])
        data = {"room": room.pk, "author": newest.author_id, "body": "kind words"}
        assert admin_client.post(change, data).status_code == 302

    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "rude words" not in again.content.decode()
    assert "stays" in again.content.decode() and older.pk


def test_the_shared_chat_list_follows_new_and_deleted_messages(client):
    room = RoomFactory()
    first = ChatMessageFactory(room=room, body="first words")
    url = reverse("collaboration:messages", args=[room.slug])
    assert "first words" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # The list came from the shared copy: no message was read, only the chat's version.
    assert not [
        q for q in queries.captured_queries if '"collaboration_chatmessage"."body"' in q["sql"]
    ]

    ChatMessageFactory(room=room, body="second words")
    assert "second words" in client.get(url).content.decode()
    admin_client = Client()
    admin_client.force_login(StaffFactory())
    delete = reverse("admin:collaboration_chatmessage_delete", args=[first.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert "first words" not in client.get(url).content.decode()
    assert "first words" not in client.get(room.get_absolute_url()).content.decode()


def test_saving_code_bumps_the_version_and_a_stale_save_changes_nothing(learner_client):
    room = RoomFactory(code="v0", owner=learner_client.learner)
    url = reverse("collaboration:save_code", args=[room.slug])
    learner_client.post(url, {"code": "v1", "version": 0})
    room.refresh_from_db()
    assert (room.code, room.code_version) == ("v1", 1)
    response = learner_client.post(url, {"code": "stale", "version": 0}, follow=True)
    room.refresh_from_db()
    assert room.code == "v1"
    assert "Someone saved newer code" in response.content.decode()


@pytest.mark.parametrize("data", [{"code": "x"}, {"code": "x", "version": "-1"}, {"version": "a"}])
def test_saving_code_with_bad_input_changes_nothing(learner_client, data):
    room = RoomFactory(code="keep me", owner=learner_client.learner)
    learner_client.post(reverse("collaboration:save_code", args=[room.slug]), data)
    room.refresh_from_db()
    assert room.code == "keep me"


def test_the_lesson_page_links_to_a_new_room_for_that_lesson(learner_client):
    lesson = LessonFactory(title="Mappings")
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    link = f"{reverse('collaboration:rooms')}?lesson={lesson.pk}"
    assert link in page
    form_page = learner_client.get(link).content.decode()
    assert "For the lesson" in form_page and "Mappings" in form_page
    assert learner_client.get(f"{reverse('collaboration:rooms')}?lesson=abc").status_code == 200


@pytest.mark.usefixtures("compiler")
def test_the_compile_button_compiles_the_posted_code_and_keeps_it_in_the_editor(learner_client):
    room = RoomFactory(code="contract Saved {}")
    url = reverse("collaboration:compile", args=[room.slug])
    edited = "pragma solidity ^0.8.20;\ncontract Edited { uint256 public n; }\n"

    response = learner_client.post(url, {"code": edited, "version": room.code_version})

    body = response.content.decode()
    assert response.status_code == 200 and response.context["attempt"].result.ok
    assert "Compiled without errors" in body and "<strong>Edited</strong>" in body
    assert "contract Edited { uint256 public n; }" in body
    room.refresh_from_db()
    assert room.code == "contract Saved {}"  # compiling never saves


@pytest.mark.usefixtures("compiler")
def test_a_visitor_compiles_a_rooms_code_and_sees_its_errors(client):
    room = RoomFactory(code="contract Broken { uint x }")
    url = reverse("collaboration:compile", args=[room.slug])
    response = client.post(url, {"code": room.code, "version": room.code_version})
    assert response.status_code == 200
    assert "The compiler found errors" in response.content.decode()
    assert "Line 1, column 26" in response.content.decode()


def test_the_room_page_offers_a_compile_button(client):
    room = RoomFactory()
    body = client.get(room.get_absolute_url()).content.decode()
    assert f'formaction="{reverse("collaboration:compile", args=[room.slug])}"' in body


@pytest.mark.usefixtures("compiler")
def test_compiling_in_a_room_runs_a_constant_number_of_queries(learner_client):
    room = RoomFactory()
    url = reverse("collaboration:compile", args=[room.slug])
    data = {"code": room.code, "version": room.code_version}
    learner_client.post(url, data)

    def queries():
        cache.delete_pattern("*")  # the chat fragment read from PostgreSQL each time
        with CaptureQueriesContext(connection) as captured:
            assert learner_client.post(url, data).status_code == 200
        return len(captured)

    small = queries()
    ChatMessageFactory.create_batch(30, room=room)
    assert queries() == small <= PAGE_QUERY_BUDGET
