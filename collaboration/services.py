from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from collaboration import listing
from collaboration.broadcast import announce_code, announce_message, announce_moderation
from collaboration.models import ChatMessage, Room, RoomMember
from core.signals import chat_message_posted

ROOM_TOUCH_INTERVAL = timedelta(seconds=10)


@transaction.atomic
def create_room(*, owner, title: str, lesson=None) -> Room:
    code = lesson.starter_code if lesson is not None and lesson.starter_code else None
    base = slugify(title)[:60] or "room"
    slug = f"{base}-{get_random_string(6, allowed_chars='abcdefghijkmnpqrstuvwxyz23456789')}"
    room = Room(slug=slug, title=title, owner=owner, lesson=lesson)
    if code is not None:
        room.code = code
    room.save()
    RoomMember.objects.create(room=room, user=owner)
    listing.retire()  # the owner finds the new room on the list at once
    return room


def join_room(*, room: Room, user) -> None:
    """Makes `user` a member of `room`, who may then edit its code; joining twice is harmless."""
    RoomMember.objects.bulk_create([RoomMember(room=room, user=user)], ignore_conflicts=True)


@dataclass(frozen=True)
class Draft:
    room: Room
    author: object
    body: str
    skip: str = ""  # the socket that sent it, answered on its own (the consumer's ack)


# Learners this process saw post (once committed): their next messages can earn nothing, so they
# are not asked about again. Bounded: past the limit the oldest are forgotten (and asked about
# once more). A learner never stops having posted (moderation removing their messages leaves the
# achievement they earned), so a remembered one is never wrong.
KNOWN_POSTERS_KEPT = 50_000
_known_posters: dict[int, None] = {}


def _remember_posters(author_ids) -> None:
    for author_id in author_ids:
        _known_posters.pop(author_id, None)
        _known_posters[author_id] = None
    while len(_known_posters) > KNOWN_POSTERS_KEPT:
        del _known_posters[next(iter(_known_posters))]


def post_message(*, room: Room, author, body: str) -> ChatMessage:
    known = frozenset([author.pk]) if author.pk in _known_posters else frozenset()
    draft = Draft(room=room, author=author, body=body)
    return post_messages(drafts=[draft], known_posters=known)[0]


@transaction.atomic
def post_messages(*, drafts: list[Draft], known_posters=frozenset()) -> list[ChatMessage]:
    """Saves messages, from any rooms and learners, in one transaction: the live rooms group the
    messages that arrive while a commit is under way into the next one (collaboration/writer.py),
    since one INSERT of many rows costs about what one row's own transaction does.

    `known_posters`: ids of learners the caller has seen post before, not asked about again.
    """
    # Only a learner's first message can earn anything (the first-chat achievement), so only
    # first messages are announced; checking costs one query for the whole batch, none when
    # every author is known.
    unknown = {draft.author.pk for draft in drafts} - known_posters
    veterans = ChatMessage.objects.authors_among(unknown) if unknown else set()
    veterans |= known_posters
    messages = ChatMessage.objects.bulk_create(
        ChatMessage(room=draft.room, author=draft.author, body=draft.body) for draft in drafts
    )
    # Speaking in a room is joining it (members may edit its code).
    RoomMember.objects.bulk_create(
        {(draft.room.pk, draft.author.pk): RoomMember(room=draft.room, user=draft.author)
         for draft in drafts}.values(),
        ignore_conflicts=True,
    )  # fmt: skip
    # The listing wants "recently updated", not the exact second: moving updated_at at most every
    # few seconds spares a busy room a row lock per message, which queued its writers' commits.
    now = timezone.now()
    Room.objects.filter(
        pk__in={draft.room.pk for draft in drafts}, updated_at__lt=now - ROOM_TOUCH_INTERVAL
    ).update(updated_at=now)
    announced = [(message, draft.skip) for message, draft in zip(messages, drafts, strict=True)]
    transaction.on_commit(lambda: _messages_committed(announced))
    for message in messages:
        if message.author_id not in veterans:
            veterans.add(message.author_id)
            chat_message_posted.send(
                sender=ChatMessage, user_id=message.author_id, message_id=message.pk
            )
    return messages


def _messages_committed(announced):
    """Every open socket of their rooms hears of them; their authors are known posters now."""
    for message, skip in announced:
        announce_message(message, skip=skip)
    _remember_posters({message.author_id for message, _ in announced})


def save_code(*, room: Room, editor, code: str, base_version: int, skip: str = "") -> int | None:
    """Saves the shared code unless someone saved since `base_version` (then nothing changes);
    returns the version it saved, or None. Once committed, the room's sockets hear of it, all
    but `skip` (the socket that sent it, answered on its own).

    Only the owner and members may: anyone else gets PermissionDenied, checked in the same
    UPDATE so that nobody can slip in between a check and the write.
    """
    saved = (
        Room.objects.editable_by(editor)
        .filter(pk=room.pk, code_version=base_version)
        .update(code=code, code_version=F("code_version") + 1, updated_at=timezone.now())
    )
    if not saved:
        if not Room.objects.editable_by(editor).filter(pk=room.pk).exists():
            raise PermissionDenied("Only the room's owner and members may change its code.")
        return None
    version = base_version + 1
    transaction.on_commit(
        lambda: announce_code(room, code=code, version=version, by=editor.username, skip=skip)
    )
    return version


@transaction.atomic
def moderate_messages(*, edited=(), removed=None) -> None:
    """Moderation: `edited` are messages already saved with their new body, `removed` a
    QuerySet of messages to delete. Their rooms' chat version moves on (pollers get the new
    list, not a 304) and, once committed, every open socket of those rooms hears of it."""
    edited = list(
        ChatMessage.objects.select_related("room", "author").filter(
            pk__in=[message.pk for message in edited]
        )
    )
    gone = list(removed.values_list("pk", "room__slug")) if removed is not None else []
    if removed is not None:
        removed.delete()
    rooms = {message.room_id for message in edited}
    rooms |= set(
        Room.objects.filter(slug__in={slug for _, slug in gone}).values_list("pk", flat=True)
    )
    Room.objects.filter(pk__in=rooms).update(chat_revision=F("chat_revision") + 1)
    transaction.on_commit(lambda: announce_moderation(edited=edited, removed=gone))
