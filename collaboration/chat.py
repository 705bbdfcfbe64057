"""A room's chat as the pages show it, and its cache group.

The chat list (the last messages of a room) is the same for everyone in the room, so pages
render it once per version and share it (`{% fragment "chat" room.pk version %}`). Its version
is the time of the room's newest message and the room's moderation revision
(`Room.objects.chat_version`): a new message, an edit or a removal makes a new key and a new ETag
for the pollers, so nothing needs invalidating. Moderation goes through
`services.moderate_messages`, never through a delete signal, since a receiver would make every
cascading delete of messages (a room, a learner) load them one by one.
"""

from collaboration.models import ChatMessage, Room
from core.cache import CacheGroup

CHAT = CacheGroup("chat", timeout=60)
MESSAGES_SHOWN = 50


def version_of(room) -> str | None:
    """The chat's version (None for no such room): the poll's ETag and the key of its shared
    fragment. One query."""
    return Room.objects.chat_version(room)


def context(room, version):
    """What templates/collaboration/_messages.html needs. The messages are read only when the
    fragment is not in the cache (the template calls the callable)."""
    return {
        "room": room,
        "chat": lambda: ChatMessage.objects.latest_in(room, limit=MESSAGES_SHOWN),
        "chat_version": version,
    }
