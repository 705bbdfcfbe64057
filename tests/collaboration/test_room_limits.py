"""Volume limits on rooms: the list a page at a time and shared, rooms started and messages
posted throttled per learner and per address."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collaboration import listing
from collaboration.models import ChatMessage, Room
from tests.factories import RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOMS = reverse("collaboration:rooms")


def rooms_updated_minutes_ago(count):
    now = timezone.now()
    rooms = RoomFactory.create_batch(count)
    for minutes, room in enumerate(rooms):
        Room.objects.filter(pk=room.pk).update(updated_at=now - timedelta(minutes=minutes))
    return rooms


def test_the_rooms_list_pages_by_cursor_newest_first_without_repeats(client, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    rooms = rooms_updated_minutes_ago(7)
    seen, url = [], ROOMS
    for _ in range(3):
        page = listing.page_after(listing.parse_cursor(url.partition("after=")[2] or None))
        seen += [room.pk for room in page.rooms]
        body = client.get(url).content.decode()
        if page.next_cursor is None:
            assert 'rel="next"' not in body
            break
        assert f'href="?after={page.next_cursor}"' in body
        url = f"{ROOMS}?after={page.next_cursor}"
    assert seen == [room.pk for room in rooms]


def test_a_page_deep_in_the_list_is_one_query_for_its_rooms(monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    rooms_updated_minutes_ago(5)
    first = listing.page_after(None)
    with CaptureQueriesContext(connection) as queries:
        second = listing.page_after(listing.parse_cursor(first.next_cursor))
    assert len(queries) == 1
    assert "OFFSET" not in queries[0]["sql"]
    assert len(second.rooms) == 2


@pytest.mark.parametrize("cursor", ["junk", "1-", "-1", "12345678901234567890-1", "1.5-2"])
def test_a_cursor_that_is_not_one_is_a_404(client, cursor):
    response = client.get(ROOMS, {"after": cursor})
    assert response.status_code == 404


def test_the_first_page_is_shared_and_a_new_room_shows_to_its_owner_at_once(learner_client):
    RoomFactory(title="Already open")
    assert "Already open" in learner_client.get(ROOMS).content.decode()
    with CaptureQueriesContext(connection) as queries:
        Client().get(ROOMS)
    assert not [q for q in queries.captured_queries if "collaboration_room" in q["sql"]]

    learner_client.post(ROOMS, {"title": "Brand new"})
    assert "Brand new" in learner_client.get(ROOMS).content.decode()


def test_starting_rooms_is_throttled_per_learner(learner_client, settings):
    settings.ROOMS_STARTED_PER_LEARNER = (2, 3600)
    for n in range(2):
        assert learner_client.post(ROOMS, {"title": f"Room {n}"}).status_code == 302
    response = learner_client.post(ROOMS, {"title": "One too many"})
    assert response.status_code == 429
    assert "You started many rooms lately" in response.content.decode()
    assert Room.objects.count() == 2


def test_starting_rooms_is_throttled_per_address(settings):
    settings.ROOMS_STARTED_PER_IP = (2, 3600)
    for n in range(3):
        client = Client(REMOTE_ADDR="10.7.0.1")
        client.force_login(UserFactory())
        response = client.post(ROOMS, {"title": f"Room {n}"})
    assert response.status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.7.0.2")
    elsewhere.force_login(UserFactory())
    assert elsewhere.post(ROOMS, {"title": "From elsewhere"}).status_code == 302


@pytest.mark.parametrize("htmx", [True, False])
def test_posting_chat_is_throttled_per_learner(learner_client, settings, htmx):
    settings.CHAT_POSTS_PER_LEARNER = (3, 60)
    room = RoomFactory()
    url = reverse("collaboration:post_message", args=[room.slug])
    headers = {"HX-Request": "true"} if htmx else {}
    for n in range(3):
        assert learner_client.post(url, {"body": f"hi {n}"}, headers=headers).status_code in (
            200,
            302,
        )
    response = learner_client.post(url, {"body": "flood"}, headers=headers)
    assert response.status_code == 429
    assert "Too many messages at once" in response.content.decode()
    assert ChatMessage.objects.count() == 3


def test_posting_chat_is_throttled_per_address(settings):
    settings.CHAT_POSTS_PER_IP = (2, 60)
    room = RoomFactory()
    url = reverse("collaboration:post_message", args=[room.slug])
    statuses = []
    for n in range(3):
        client = Client(REMOTE_ADDR="10.8.0.1")
        client.force_login(UserFactory())
        statuses.append(client.post(url, {"body": f"hi {n}"}).status_code)
    assert statuses == [302, 302, 429]
    assert ChatMessage.objects.count() == 2


def test_a_throttle_set_to_zero_is_off(learner_client, settings):
    settings.CHAT_POSTS_PER_LEARNER = (0, 60)
    room = RoomFactory()
    url = reverse("collaboration:post_message", args=[room.slug])
    for n in range(5):
        assert learner_client.post(url, {"body": f"hi {n}"}).status_code == 302
    assert ChatMessage.objects.count() == 5
