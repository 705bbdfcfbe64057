"""A room's chat as the pages show it, and its cache group.

The chat list (the last messages of a room) is the same for everyone in the room, so pages
render it once per version and share it (`{% fragment "chat" room.pk version %}`). Its version
is the time of the room's newest message: a new message makes a new key, so posting needs no
invalidation. Editing or deleting messages in the admin retires the group (`retire()`); no
delete signal does it, since a receiver would make every cascading delete of messages (a room,
a learner) load them one by one. Anything else shows within CHAT's timeout.
"""

from collaboration.models import ChatMessage
from core.cache import CacheGroup

CHAT = CacheGroup("chat", timeout=60)
MESSAGES_SHOWN = 50


def version_of(room):
    """When the room's newest message was posted (None before the first): the chat's
    Last-Modified and the key of its shared fragment. One index-only read."""
    return ChatMessage.objects.newest_in(room)


def context(room, version):
    """What templates/collaboration/_messages.html needs. The messages are read only when the
    fragment is not in the cache (the template calls the callable)."""
    return {
        "room": room,
        "chat": lambda: ChatMessage.objects.latest_in(room, limit=MESSAGES_SHOWN),
        "chat_version": version,
    }


def retire() -> None:
    """Messages were edited or removed: every room's shared chat list is rendered again."""
    CHAT.invalidate()
