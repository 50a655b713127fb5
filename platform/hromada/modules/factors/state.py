"""What this browser session has proved with a second factor, and when.

Kept in Flask's signed session cookie, next to the session token (hromada.modules.accounts.sessions):
a new session (`start_session`) clears it, so nothing carries over from another sign-in, and ending a
session on the server makes the cookie, and what it proved, worthless.

- `pending`: between a right password and the second factor: whom, since when, where to go next.
- `verified_at`: when this session last confirmed a second factor (sign-in, or a later confirmation).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import session

from hromada.clock import now

PENDING = "factors.pending"
VERIFIED_AT = "factors.verified_at"
# The password step is good for this long: then the person starts again.
PENDING_FOR = timedelta(minutes=5)
# "Recent": sensitive pages ask for a second factor confirmed within this time.
RECENT = timedelta(minutes=10)


def begin_pending(user_id: int, next_url: str | None) -> None:
    session[PENDING] = {"user": user_id, "since": now().timestamp(), "next": next_url or ""}


def pending() -> dict | None:
    value = session.get(PENDING)
    if not isinstance(value, dict) or not isinstance(value.get("user"), int):
        return None
    since = datetime.fromtimestamp(float(value.get("since", 0)), tz=timezone.utc)
    if now() - since > PENDING_FOR:
        session.pop(PENDING, None)
        return None
    return value


def clear_pending() -> None:
    session.pop(PENDING, None)


def mark_verified() -> None:
    session[VERIFIED_AT] = now().timestamp()


def verified_at() -> datetime | None:
    value = session.get(VERIFIED_AT)
    if not isinstance(value, (int, float)):
        return None
    return datetime.fromtimestamp(value, tz=timezone.utc)


def verified_recently() -> bool:
    moment = verified_at()
    return moment is not None and timedelta(0) <= now() - moment <= RECENT
