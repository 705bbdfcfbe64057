"""A room's chat as the pages show it, and its cache group.

The chat list (the last messages of a room) is the same for everyone in the room, so pages
render it once per version and share it (`{% fragment "chat" room.pk version %}`). Its version
is the time of the room's newest message and the room's moderation revision
(`version_of`): a new message, an edit or a removal makes a new key and a new ETag
for the pollers, so nothing needs invalidating. Moderation goes through
`services.moderate_messages`, never through a delete signal, since a receiver would make every
cascading delete of messages (a room, a learner) load them one by one.
"""

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.timezone import get_current_timezone_name, localtime

from collaboration.models import (
    ChatMessage,
    Room,
    chat_lines,
    chat_version_from,
    chat_version_of,
)
from core.cache import CacheGroup
from core.queries import CompiledQuery

CHAT = CacheGroup("chat", timeout=60)
MESSAGES_SHOWN = 50

# Read by every poll that reaches an instance and every message posted: compiled once
# (core.queries), each ~0.3 ms of CPU less than building and compiling the QuerySet again.
_VERSION_COLUMNS = ("chat_revision", "newest_message_at")
_VERSION_BY_SLUG = CompiledQuery(
    lambda slug: Room.objects.filter(slug=slug).with_chat_version().values_list(*_VERSION_COLUMNS),
    slug=str,
)
_VERSION_BY_ID = CompiledQuery(
    lambda room_id: (
        Room.objects.filter(pk=room_id).with_chat_version().values_list(*_VERSION_COLUMNS)
    )
)
_NEWEST = CompiledQuery(
    lambda room_id: ChatMessage.objects.newest_rows(room_id, limit=MESSAGES_SHOWN)
)


def version_of(room) -> str | None:
    """The chat's version (None for no such room, a Room or its slug): the poll's ETag and the
    key of its shared fragment. One query, none for a room read `with_chat_version()`."""
    if hasattr(room, "newest_message_at"):
        return chat_version_of(room)
    if isinstance(room, str):
        found = _VERSION_BY_SLUG(slug=room)
    else:
        found = _VERSION_BY_ID(room_id=room.pk)
    return chat_version_from(*found[0]) if found else None


def latest_messages(room):
    """The room's last MESSAGES_SHOWN messages, oldest first, with their authors' names."""
    return chat_lines(_NEWEST(room_id=room.pk))


def context(room, version):
    """What templates/collaboration/_messages.html needs. The messages are read and rendered
    only when the fragment is not in the cache (the template calls the callable)."""
    return {
        "room": room,
        "chat_log": lambda: log_html(latest_messages(room)),
        "chat_version": version,
    }


EMPTY_LOG = mark_safe('<li class="meta">No messages yet. Say hello!</li>')


def log_html(messages) -> SafeString:
    """The chat list's items. Every new message is a new version of the list, rendered again
    whole by the poster's answer and the room's pages: built here, where the template engine's
    loop over fifty items cost ~10 ms (its variable lookups and filters). The same markup the
    template gave: the time in the site's time zone, the body escaped with its line breaks kept.
    Each item is made once per process (`_item`): a new version of the list differs from the
    previous one by a message or two, and its fifty items cost ~1.1 ms made afresh."""
    if not messages:
        return EMPTY_LOG
    zone = get_current_timezone_name()
    return mark_safe(
        "".join(
            _item(message.pk, message.author.username, message.body, message.created_at, zone)
            for message in messages
        )
    )


# Keyed by everything an item shows (an edited body or a renamed author is a new item) and the
# time zone it is shown in: ten busy rooms' worth of messages.
@lru_cache(maxsize=1024)
def _item(pk, username, body, created_at, zone) -> str:
    at = localtime(created_at)
    body = escape(normalize_newlines(body)).replace("\n", "<br>")
    return (
        f'<li data-id="{pk}"><strong>{escape(username)}</strong> '
        f'<time datetime="{at.isoformat()}" class="meta">{at:%H:%M}</time><p>{body}</p></li>'
    )
