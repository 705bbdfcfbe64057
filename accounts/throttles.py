"""Login and signup throttles: per address and per account, releasing themselves.

Failed logins are counted per address (one machine guessing many accounts) and per account (many
machines guessing one account). A successful login clears its account's count but never the
address's, or an attacker could reset their own budget by logging into an account of their own.
The per-account limit lets anyone lock an account out for one window by failing on purpose; the
window is short and releases itself, which is the usual price of stopping distributed guessing.

Signups are counted per address and per email address tried, failed or not: the form says
whether an email is taken, so unlimited attempts would let anyone test addresses in bulk.
"""

from django.conf import settings

from core.throttle import Throttle, admit


def _login_by_ip() -> Throttle:
    return Throttle.from_setting("login-ip", settings.LOGIN_FAILURES_PER_IP)


def _login_by_account() -> Throttle:
    return Throttle.from_setting("login-account", settings.LOGIN_FAILURES_PER_ACCOUNT)


def _signup_by_ip() -> Throttle:
    return Throttle.from_setting("signup-ip", settings.SIGNUPS_PER_IP)


def _signup_by_email() -> Throttle:
    return Throttle.from_setting("signup-email", settings.SIGNUPS_PER_EMAIL)


def _account(username: str) -> str:
    # Usernames match exactly at login, but folding case keeps "Alice" and "ALICE" from being
    # two separate budgets for guessing one account.
    return username.casefold()


def login_wait(*, ip: str, username: str) -> int:
    """Seconds before this address may try this account again; 0 when it may now."""
    return max(
        _login_by_ip().wait_seconds(ip), _login_by_account().wait_seconds(_account(username))
    )


def record_login_failure(*, ip: str, username: str) -> None:
    _login_by_ip().hit(ip)
    _login_by_account().hit(_account(username))


def password_check_wait(*, username: str) -> int:
    """Seconds before this account's current password may be checked again (the password change
    form asks for it): guesses at it are guesses at the account, whichever form takes them."""
    return _login_by_account().wait_seconds(_account(username))


def record_password_check_failure(*, username: str) -> None:
    _login_by_account().hit(_account(username))


def record_login_success(*, username: str) -> None:
    _login_by_account().reset(_account(username))


def admit_signup(*, ip: str, email: str) -> int:
    """Counts one signup attempt and returns 0, or returns the seconds to wait (counting nothing)
    when this address or this email address has used up its attempts."""
    email = email.strip().casefold()
    return admit((_signup_by_ip(), ip), (_signup_by_email(), email))
