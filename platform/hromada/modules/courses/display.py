"""How course data reads on a page: session times in their own zone, stage names."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import get_locale

from hromada.clock import as_utc


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime, zone: str | None) -> datetime:
    """A stored (UTC) moment as the wall-clock time of `zone`."""
    return as_utc(moment).astimezone(zone_of(zone))


def session_time(session) -> str:
    """"5 Mar 2027, 18:00–20:00 (Europe/Kyiv)", in the reader's language."""
    locale = get_locale() or "en"
    start, end = local(session.starts_at, session.timezone), local(session.ends_at, session.timezone)
    def day(moment):
        return format_skeleton("yMMMd", moment, locale=locale)

    def clock(moment):
        return format_skeleton("Hm", moment, locale=locale)

    text = f"{day(start)}, {clock(start)}–{clock(end)}"
    if end.date() != start.date():
        text = f"{day(start)}, {clock(start)} – {day(end)}, {clock(end)}"
    return f"{text} ({session.timezone})"


def plain_session_time(session) -> str:
    """The same, language-neutral ("2027-03-05 18:00 (Europe/Kyiv)"), for texts stored for later."""
    return f"{local(session.starts_at, session.timezone):%Y-%m-%d %H:%M} ({session.timezone})"


def stage_name(stage) -> str:
    if stage is None:
        return ""
    if stage.title:
        return stage.title
    stage_type = current_app.extensions["hromada.stage_types"].get(stage.stage_type)
    return str(stage_type.title) if stage_type else stage.stage_type
