"""The live rooms' database access: a few threads of their own, and group commit for chat.

Database calls run on ROOM_DATABASE_THREADS threads rather than asgiref's one shared thread:
each spends most of its time waiting for PostgreSQL, and one thread would queue every
connection's writes behind each other.

Chat messages from every connection of a process go through one ChatWriter: a message that
arrives while a commit is under way waits for it and goes into the next, with everything else
that arrived meanwhile (services.post_messages: one transaction, one multi-row INSERT). A quiet
room's message is written at once, alone; a busy process writes fewer, larger transactions,
about 4 ms of CPU per message alone against 0.2 ms in a batch of 20, measured here. A message's
sender is acknowledged only once its batch has committed.
"""

import asyncio
import functools
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DataError, IntegrityError, close_old_connections

from collaboration.services import Draft, post_messages

logger = logging.getLogger(__name__)

BATCH_LIMIT = 200
POSTERS_REMEMBERED = 100_000
# Failures one message can cause for its whole batch; anything else (PostgreSQL down) fails each
# of them alike, so the batch is not retried one by one.
ROW_ERRORS = (IntegrityError, DataError, ObjectDoesNotExist)

_threads = ThreadPoolExecutor(
    max_workers=settings.ROOM_DATABASE_THREADS, thread_name_prefix="room-db"
)


def in_database_thread(function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        # Again inside the call: database_sync_to_async's own cleanup around it was seen (in the
        # tests) to leave the connection the call used open in its thread, out of the pool.
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return database_sync_to_async(call, thread_sensitive=False, executor=_threads)


_post_messages = in_database_thread(post_messages)


class ChatWriter:
    def __init__(self):
        self.pending: list[tuple[Draft, asyncio.Future]] = []
        self.flushing = None
        # Learners this process has saved a message for: they are no longer first-time posters,
        # so a busy process stops asking PostgreSQL about them (see post_messages).
        self.posters = set()

    async def post(self, *, room, author, body, skip=""):
        """The saved message, once it is committed (and announced to the room but `skip`);
        raises what saving it raised."""
        saved = asyncio.get_running_loop().create_future()
        self.pending.append((Draft(room=room, author=author, body=body, skip=skip), saved))
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.create_task(self._flush())
        return await saved

    async def _flush(self):
        while self.pending:
            batch, self.pending = self.pending[:BATCH_LIMIT], self.pending[BATCH_LIMIT:]
            try:
                messages = await _post_messages(
                    drafts=[draft for draft, _ in batch], known_posters=frozenset(self.posters)
                )
            except ROW_ERRORS as error:
                if len(batch) == 1:
                    _settle(batch, error=error)
                else:
                    # One bad row (its author deleted meanwhile) must not sink the others.
                    await self._one_by_one(batch)
            except Exception as error:  # any failure is its senders', never the writer's
                logger.exception("a batch of %d chat messages was not saved", len(batch))
                _settle(batch, error=error)
            else:
                _settle(batch, results=messages)
                self._remember(messages)

    def _remember(self, messages):
        if len(self.posters) > POSTERS_REMEMBERED:
            self.posters.clear()  # a memo only: forgetting costs one query, never correctness
        self.posters.update(message.author_id for message in messages)

    async def _one_by_one(self, batch):
        for one in batch:
            try:
                messages = await _post_messages(drafts=[one[0]])
            except Exception as error:
                _settle([one], error=error)
            else:
                _settle([one], results=messages)


def _settle(batch, *, results=None, error=None):
    for index, (_, saved) in enumerate(batch):
        if saved.done():  # its sender left (the future was cancelled)
            continue
        if error is not None:
            saved.set_exception(error)
        else:
            saved.set_result(results[index])


_writers = weakref.WeakKeyDictionary()


def chat_writer() -> ChatWriter:
    """The running event loop's writer (one per ASGI process; one per test's loop in tests)."""
    loop = asyncio.get_running_loop()
    if loop not in _writers:
        _writers[loop] = ChatWriter()
    return _writers[loop]
