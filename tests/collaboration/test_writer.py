"""The live rooms' group commit (collaboration/writer.py) against the real database."""

import asyncio

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.db import connections

from collaboration import writer
from collaboration.models import ChatMessage
from tests.factories import RoomFactory, UserFactory

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest_asyncio.fixture(autouse=True)
async def _close_the_async_threads_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def batches(monkeypatch):
    """The size of every batch the writer saves (through the real service)."""
    sizes = []
    save = writer._post_messages

    async def recording(*, drafts, **options):
        sizes.append(len(drafts))
        return await save(drafts=drafts, **options)

    monkeypatch.setattr(writer, "_post_messages", recording)
    return sizes


@pytest.fixture
def room(transactional_db):
    return RoomFactory()


@pytest.fixture
def learners(transactional_db):
    return UserFactory.create_batch(3)


async def test_messages_that_arrive_together_are_saved_in_one_transaction(batches, room, learners):
    posts = [
        writer.chat_writer().post(room=room, author=learners[n % 3], body=f"message {n}")
        for n in range(10)
    ]

    messages = await asyncio.gather(*posts)

    assert batches == [10]
    assert [message.body for message in messages] == [f"message {n}" for n in range(10)]
    assert await ChatMessage.objects.acount() == 10


async def test_a_message_posted_alone_is_saved_at_once_alone(batches, room, learners):
    first = await writer.chat_writer().post(room=room, author=learners[0], body="one")
    second = await writer.chat_writer().post(room=room, author=learners[1], body="two")
    assert batches == [1, 1]
    assert first.pk < second.pk


async def test_one_message_that_cannot_be_saved_does_not_sink_the_rest_of_its_batch(
    batches, room, learners
):
    gone = learners[2]
    await sync_to_async(type(gone).objects.filter(pk=gone.pk).delete)()
    posts = [
        writer.chat_writer().post(room=room, author=learners[0], body="kept"),
        writer.chat_writer().post(room=room, author=gone, body="lost"),
        writer.chat_writer().post(room=room, author=learners[1], body="kept too"),
    ]

    results = await asyncio.gather(*posts, return_exceptions=True)

    assert [result.body for result in (results[0], results[2])] == ["kept", "kept too"]
    assert isinstance(results[1], Exception)
    assert batches == [3, 1, 1, 1]
    bodies = ChatMessage.objects.order_by("pk").values_list("body", flat=True)
    assert [body async for body in bodies] == ["kept", "kept too"]
