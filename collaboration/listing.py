"""The list of open rooms: most recently active first, a page at a time, shared by everyone.

Pages are keyset-paginated: `?after=` carries the last room's (updated_at, id), so a page costs
one index range scan however deep it is, and rooms that move up while a learner pages do not
shift the pages under them. The first page, which nearly every visit shows, is rendered once and
kept in the "rooms" cache group for a few seconds; starting a room retires it, so its owner sees
it at once. Deeper pages are not kept: any cursor is valid, so keeping them would let anyone fill
the cache. Message counts and activity order catch up within ROOMS's timeout.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

from collaboration.models import Room
from core.cache import CacheGroup

ROOMS = CacheGroup("rooms", timeout=10)
PAGE_SIZE = 24
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class RoomPage:
    rooms: list
    next_cursor: str | None  # None on the last page


def cursor_of(room) -> str:
    return f"{(room.updated_at - _EPOCH) // _MICROSECOND}-{room.pk}"


def parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """(updated_at, id) from a cursor; None for the first page; ValueError for nonsense."""
    if not raw:
        return None
    micros, _, pk = raw.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
        raise ValueError(f"not a cursor: {raw[:40]!r}")
    return _EPOCH + int(micros) * _MICROSECOND, int(pk)


def page_after(after: tuple[datetime, int] | None) -> RoomPage:
    rooms = Room.objects.listing()
    if after is not None:
        updated_at, pk = after
        rooms = rooms.filter(Q(updated_at__lt=updated_at) | Q(updated_at=updated_at, pk__lt=pk))
    found = list(rooms[: PAGE_SIZE + 1])
    shown = found[:PAGE_SIZE]
    return RoomPage(shown, cursor_of(shown[-1]) if len(found) > PAGE_SIZE else None)


def context(after: tuple[datetime, int] | None) -> dict:
    """What templates/collaboration/rooms.html needs; the rooms are read only when the page's
    fragment is not cached (the template calls the callable)."""
    return {"room_page": lambda: page_after(after), "paged": after is not None}


def retire() -> None:
    ROOMS.invalidate()
