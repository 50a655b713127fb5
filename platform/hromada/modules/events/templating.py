"""Template helpers of the events module: an event's times in the reader's zone (else the event's own), named."""

from __future__ import annotations

from flask import Flask

from hromada.modules.events.labels import follow_up_label, mode_label
from hromada.times import format_day, format_span


def event_when(event) -> str:
    """"21 Nov 2026, 10:00–12:00 (Kyiv time)": the day, the hours, and whose clock they are on."""
    return format_span(event.starts_at, event.ends_at, zone=event.timezone)


def event_day(event) -> str:
    return format_day(event.starts_at, zone=event.timezone)


def configure_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        event_when=event_when, event_day=event_day, event_mode_label=mode_label, follow_up_label=follow_up_label,
    )
