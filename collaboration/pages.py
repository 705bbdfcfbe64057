"""A room as its page reads it, in one query compiled once per process (core.queries).

One statement: the room, its owner's name, its lesson's link and course, the chat's version
and whether the viewer may edit the code (the lesson's texts and the owner's row stay unread).
Every room page and every compile from its editor reads it; Django built and compiled that
QuerySet (two joins, two annotations with subqueries) for ~1 ms of CPU each time.
"""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from collaboration.models import Room
from core.queries import CompiledQuery, concrete_columns
from courses.models import Course, Lesson

_ROOM = concrete_columns(Room)
_RELATED = (
    "owner__username",
    "lesson__course_id", "lesson__slug", "lesson__title",
    "lesson__course__slug", "lesson__course__title",
    "newest_message_at", "editable",
)  # fmt: skip


def _page(slug, viewer):
    return (
        Room.objects.active()
        .filter(slug=slug)
        .with_chat_version()
        .with_editable_by(viewer)
        .values_list(*_ROOM, *_RELATED)
    )


_FOR_LEARNER = CompiledQuery(lambda slug, viewer_id: _page(slug, User(pk=viewer_id)), slug=str)
_FOR_VISITOR = CompiledQuery(lambda slug: _page(slug, AnonymousUser()), slug=str)


def room_for_page(slug, viewer) -> Room | None:
    """The active room of that slug as its page shows it (None when there is none), with
    `owner` (its name), `lesson` (its link and course), `newest_message_at` (the chat's
    version, chat.version_of) and `editable` (RoomQuerySet.with_editable_by)."""
    if viewer.is_authenticated:
        alias, rows = _FOR_LEARNER.run(slug=slug, viewer_id=viewer.pk)
    else:
        alias, rows = _FOR_VISITOR.run(slug=slug)
    if not rows:
        return None
    row, width = rows[0], len(_ROOM)
    room = Room.from_db(alias, _ROOM, row[:width])
    username, course_id, lesson_slug, lesson_title, course_slug, course_title, newest, editable = (
        row[width:]
    )
    room.owner = User.from_db(alias, ["id", "username"], (room.owner_id, username))
    if room.lesson_id is not None:
        lesson = Lesson.from_db(
            alias,
            ["id", "course_id", "slug", "title"],
            (room.lesson_id, course_id, lesson_slug, lesson_title),
        )
        lesson.course = Course.from_db(
            alias, ["id", "slug", "title"], (course_id, course_slug, course_title)
        )
        room.lesson = lesson
    room.newest_message_at, room.editable = newest, editable
    return room
