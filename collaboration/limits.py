"""Volume limits for rooms over HTTP: rooms started and chat messages posted, per learner and
per address, in fixed windows shared by every process (core/throttle.py). A socket has its own
per-connection budgets (collaboration/frames.py) and a cap of sockets per learner per room."""

from django.conf import settings

from core.throttle import Throttle, admit


def admit_room(*, learner_id: int, ip: str) -> int:
    """Counts one room started and returns 0, or the seconds to wait (counting nothing)."""
    return admit(
        (
            Throttle.from_setting("room-learner", settings.ROOMS_STARTED_PER_LEARNER),
            str(learner_id),
        ),
        (Throttle.from_setting("room-ip", settings.ROOMS_STARTED_PER_IP), ip),
    )


def admit_chat(*, learner_id: int, ip: str) -> int:
    """Counts one chat message posted through the form and returns 0, or the seconds to wait."""
    return admit(
        (Throttle.from_setting("chat-learner", settings.CHAT_POSTS_PER_LEARNER), str(learner_id)),
        (Throttle.from_setting("chat-ip", settings.CHAT_POSTS_PER_IP), ip),
    )
