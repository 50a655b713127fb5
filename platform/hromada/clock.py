"""The time: one `now()` for the whole core, in UTC, and `as_utc` for the times the database gives back.

Times are stored in UTC. SQLite gives a timezone-aware column back without its zone;
`as_utc` marks such a time as the UTC it was stored in.
"""

from __future__ import annotations

from datetime import date, datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def today() -> date:
    """Today's date in UTC."""
    return now().date()


def as_utc(moment: datetime | None) -> datetime | None:
    """`moment` in UTC; a time without a zone (from SQLite, or entered in a form) was UTC already."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
