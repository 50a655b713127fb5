"""How course data reads on a page: session times (in the reader's zone, else the session's own), stage names."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

from hromada.clock import as_utc
from hromada.times import format_span


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime, zone: str | None) -> datetime:
    """A stored (UTC) moment as the wall-clock time of `zone`."""
    return as_utc(moment).astimezone(zone_of(zone))


def session_time(session) -> str:
    """"5 Mar 2027, 18:00–20:00 (Kyiv time)", in the reader's language and zone."""
    return format_span(session.starts_at, session.ends_at, zone=session.timezone)


def stage_name(stage) -> str:
    if stage is None:
        return ""
    if stage.title:
        return stage.title
    stage_type = current_app.extensions["hromada.stage_types"].get(stage.stage_type)
    return str(stage_type.title) if stage_type else stage.stage_type
