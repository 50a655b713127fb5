"""Template helpers of the events module: times in the event's own zone, in the reader's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import Flask
from flask_babel import get_locale

from hromada.clock import as_utc
from hromada.modules.events.labels import follow_up_label, mode_label, timezone_label


def local_time(moment: datetime, zone: str) -> datetime:
    return as_utc(moment).astimezone(ZoneInfo(zone))


def event_when(event) -> str:
    """"Saturday, 21 November 2026, 10:00 – 12:00 (Kyiv)": the day, the hours, and whose clock they are on."""
    locale = get_locale()
    starts, ends = local_time(event.starts_at, event.timezone), local_time(event.ends_at, event.timezone)
    text = f"{format_date(starts, 'full', locale=locale)}, {format_time(starts, 'short', locale=locale)} – "
    if ends.date() != starts.date():
        text += f"{format_date(ends, 'full', locale=locale)}, "
    return text + f"{format_time(ends, 'short', locale=locale)} ({timezone_label(event.timezone)})"


def event_day(event) -> str:
    return format_date(local_time(event.starts_at, event.timezone), "medium", locale=get_locale())


def configure_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        event_when=event_when, event_day=event_day, event_mode_label=mode_label, follow_up_label=follow_up_label,
    )
