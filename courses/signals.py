"""What `courses` tells the rest of the site. Sent inside the completing transaction, so a
receiver's writes (achievements, their XP bonus) commit or roll back together with the lesson.

A receiver of either signal that changes the learner's XP (an achievement's bonus) returns their
Standing afterwards, as accounts.services.award_xp returned it; every other receiver returns
None. The completing service takes the last Standing as the learner's XP and level
(`standing_after`), so it never reads them again.
"""

from django.dispatch import Signal

from accounts.services import Standing

# kwargs: user_id, username, lesson_id, completed_at, xp (the learner's XP with the lesson's
# reward), first_today (no other lesson completed by the learner today: a streak of days can only
# begin to hold with such a completion)
lesson_completed = Signal()
# kwargs: user_id, username, course_id
course_completed = Signal()


def standing_after(answers) -> Standing | None:
    """The learner's XP and level after the receivers that answered `answers` (send()'s list of
    (receiver, answer)) ran: the last Standing among them, None when none changed the XP."""
    standing = None
    for receiver, answer in answers:
        if answer is None:
            continue
        if not isinstance(answer, Standing):
            raise TypeError(
                f"{receiver.__module__}.{receiver.__qualname__} returned {answer!r}: receivers "
                "of courses' signals return the learner's Standing or None (courses.signals)"
            )
        standing = answer
    return standing
