"""The rooms' WebSocket protocol: what a client may send, how it is checked, what it gets back.

Client -> server, JSON text frames (`ref` is optional and echoed in the answer):
    {"type": "chat", "body": str, "ref": str}
    {"type": "edit", "code": str, "version": int, "ref": str}   the whole code, based on `version`
    {"type": "ping"}
Server -> client:
    {"type": "welcome", "me", "code", "version", "messages": [message], "users": [user]}
    {"type": "ack", "ref", "id", "message"}      your chat message is saved (and now broadcast)
    {"type": "chat", "message": message}         someone else's saved message
    {"type": "saved", "ref", "version"}          your edit is now that version
    {"type": "stale", "ref", "code", "version"}  your edit was based on an old version: the current
    {"type": "code", "code", "version", "by"}    someone else's accepted edit
    {"type": "presence", "users": [user]}       sent when the set of learners present changes
    {"type": "edited", "message": message}       a moderator changed this message
    {"type": "removed", "ids": [int]}            a moderator removed these messages
    {"type": "pong"}
    {"type": "error", "code", "message", "ref"}  the frame was refused; the connection stays open
error codes: binary, too_large, malformed, unknown_type, invalid, rate_limited, busy, unavailable;
and, right before the server closes the socket for good: signed_out (close code 4001),
room_closed (4004), too_many_connections (4029).
message: {"id", "author", "body", "created_at"}; user: {"id", "username"}.

The limits are the HTTP forms' own: what one path refuses, the other refuses too.
"""

import json
import time
from dataclasses import dataclass

from collaboration.forms import CodeForm, MessageForm

BODY_MAX_CHARS = MessageForm.base_fields["body"].max_length
CODE_MAX_CHARS = CodeForm.base_fields["code"].max_length
# Room for the longest code once JSON-escaped; the ASGI server's own cap (--ws-max-size) sits
# above this so an oversized frame reaches us and gets an error frame instead of a dropped socket.
FRAME_MAX_CHARS = 256 * 1024
REF_MAX_CHARS = 64


class FrameError(Exception):
    """A refused frame: becomes an error frame for its sender and nothing else."""

    def __init__(self, code: str, message: str, *, ref=None):
        super().__init__(message)
        self.code, self.message, self.ref = code, message, ref

    def frame(self) -> dict:
        return {"type": "error", "code": self.code, "message": self.message, "ref": self.ref}


@dataclass(frozen=True)
class Chat:
    body: str
    ref: str | int | None = None


@dataclass(frozen=True)
class Edit:
    code: str
    version: int
    ref: str | int | None = None


@dataclass(frozen=True)
class Ping:
    ref: str | int | None = None


def parse(text: str | None, binary: bytes | None = None) -> Chat | Edit | Ping:
    """The command a frame carries, or FrameError saying what is wrong with it."""
    if text is None:
        raise FrameError("binary", "Send JSON text frames, not binary ones.")
    if len(text) > FRAME_MAX_CHARS:
        raise FrameError("too_large", f"A frame may hold at most {FRAME_MAX_CHARS} characters.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("malformed", "The frame is not valid JSON.") from None
    if not isinstance(data, dict):
        raise FrameError("malformed", "The frame must be a JSON object.")
    ref = _ref(data.get("ref"))
    kind = data.get("type")
    if kind == "chat":
        return Chat(body=_body(data.get("body"), ref), ref=ref)
    if kind == "edit":
        return Edit(
            code=_code(data.get("code"), ref), version=_version(data.get("version"), ref), ref=ref
        )
    if kind == "ping":
        return Ping(ref=ref)
    raise FrameError("unknown_type", "The type must be chat, edit or ping.", ref=ref)


def _ref(value):
    if value is None or (isinstance(value, str) and len(value) <= REF_MAX_CHARS):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise FrameError("invalid", f"ref must be a number or at most {REF_MAX_CHARS} characters.")


def _body(value, ref):
    if not isinstance(value, str) or not value.strip():
        raise FrameError("invalid", "A message needs some text.", ref=ref)
    body = value.strip()
    if len(body) > BODY_MAX_CHARS:
        raise FrameError("invalid", f"A message may be {BODY_MAX_CHARS} characters.", ref=ref)
    return body


def _code(value, ref):
    if not isinstance(value, str):
        raise FrameError("invalid", "code must be text.", ref=ref)
    if len(value) > CODE_MAX_CHARS:
        raise FrameError("invalid", f"The code may be {CODE_MAX_CHARS} characters.", ref=ref)
    return value


def _version(value, ref):
    # bool is an int in Python; `true` is not a version.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FrameError("invalid", "version must be a whole number >= 0.", ref=ref)
    return value


class TokenBucket:
    """Allows `burst` at once and `per_second` sustained; one per connection and kind, so a
    flooding client is slowed without touching anyone else."""

    def __init__(self, *, burst: int, per_second: float, clock=time.monotonic):
        self.burst, self.per_second, self.clock = burst, per_second, clock
        self.tokens, self.updated = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def message_frame(message) -> dict:
    return {
        "id": message.pk,
        "author": message.author.username,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }
