from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from collaboration.models import ChatMessage, Room, RoomMember
from core.signals import chat_message_posted


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
    return room


def join_room(*, room: Room, user) -> None:
    """Makes `user` a member of `room`, who may then edit its code; joining twice is harmless."""
    RoomMember.objects.bulk_create([RoomMember(room=room, user=user)], ignore_conflicts=True)


@transaction.atomic
def post_message(*, room: Room, author, body: str) -> ChatMessage:
    message = ChatMessage.objects.create(room=room, author=author, body=body)
    join_room(room=room, user=author)  # speaking in a room is joining it
    Room.objects.filter(pk=room.pk).update(updated_at=timezone.now())
    chat_message_posted.send(sender=ChatMessage, user_id=author.pk, message_id=message.pk)
    return message


def save_code(*, room: Room, editor, code: str, base_version: int) -> bool:
    """Saves the shared code unless someone saved since `base_version` (then nothing changes).

    Only the owner and members may: anyone else gets PermissionDenied, checked in the same
    UPDATE so that nobody can slip in between a check and the write.
    """
    saved = (
        Room.objects.editable_by(editor)
        .filter(pk=room.pk, code_version=base_version)
        .update(code=code, code_version=F("code_version") + 1, updated_at=timezone.now())
    )
    if not saved and not Room.objects.editable_by(editor).filter(pk=room.pk).exists():
        raise PermissionDenied("Only the room's owner and members may change its code.")
    return bool(saved)
