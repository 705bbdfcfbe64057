"""A form's CSRF token as django.middleware.csrf.get_token() makes it, for a fifth of the CPU.

Every signed-in page fills at least one form's token (the header's log-out form). Django masks
the secret with a fresh random string per token (against BREACH) and draws that string one
character at a time, each from its own read of the system's random source: ~170 us of a page
that costs ~2 ms. `masked_token` draws all 32 characters from one read (bytes below 248, 4 x 62,
so each character is uniform) and masks the same way; Django's middleware checks the result
like any token of its own (tests/core/test_csrf.py).
"""

import os

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_UNBIASED_BELOW = 256 - 256 % len(_CHARS)  # 248


def masked_token(request) -> str:
    """get_token(request): the request's CSRF secret, masked afresh. Unlike get_token, the
    cookie is sent only when the browser does not hold this secret already: Django sends it
    again with every page that shows a form, to push its expiry (a year) forward, which cost
    every signed-in page a Set-Cookie (~25 us). The cookie now expires a year after it was set;
    the next page then sets a new one (a form left open across that moment is refused once and
    works again after a reload, as after any rotation)."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)  # no secret yet: Django makes one and sets its cookie
    try:
        cipher = [_INDEX[char] for char in secret]
    except KeyError:
        return get_token(request)
    if request.COOKIES.get(settings.CSRF_COOKIE_NAME) != secret:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # the browser does not hold this one
    mask = _random_indexes(CSRF_SECRET_LENGTH)
    return "".join(_CHARS[m] for m in mask) + "".join(
        _CHARS[(c + m) % len(_CHARS)] for c, m in zip(cipher, mask, strict=True)
    )


def _random_indexes(count) -> list[int]:
    drawn = []
    while len(drawn) < count:
        # 1.5x what is needed: a byte is refused with probability 8/256, so one read nearly
        # always suffices.
        drawn += [b % len(_CHARS) for b in os.urandom(count + count // 2) if b < _UNBIASED_BELOW]
    return drawn[:count]
