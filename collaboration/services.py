from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from collaboration.models import ChatMessage, Room
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
    return room


@transaction.atomic
def post_message(*, room: Room, author, body: str) -> ChatMessage:
    # Only a learner's first message can earn anything (the first-chat achievement): one indexed
    # EXISTS here spares every later message the achievement checks, in a live room that posts
    # hundreds of messages a second.
    first = not ChatMessage.objects.filter(author=author).exists()
    message = ChatMessage.objects.create(room=room, author=author, body=body)
    Room.objects.filter(pk=room.pk).update(updated_at=timezone.now())
    if first:
        chat_message_posted.send(sender=ChatMessage, user_id=author.pk, message_id=message.pk)
    return message


def save_code(*, room: Room, code: str, base_version: int) -> bool:
    """Saves the shared code unless someone saved since `base_version` (then nothing changes)."""
    saved = Room.objects.filter(pk=room.pk, code_version=base_version).update(
        code=code, code_version=F("code_version") + 1, updated_at=timezone.now()
    )
    return bool(saved)
