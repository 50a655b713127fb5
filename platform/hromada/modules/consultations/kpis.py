"""Consultation KPIs: counts by stage and topic, hours, speed of response and average rating.

One grouped query per scope. The query returns sums and counts rather than
averages, so rows from several organisations (a staff member's own KPIs) add
up exactly; the averages are computed from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import case, extract, func, select

from hromada.extensions import db
from hromada.modules.consultations.models import HELD, Consultation, ConsultationStatus
from hromada.modules.consultations.topics import UNKNOWN_TOPIC, plugin_topics, topic_group_key


@dataclass
class KpiRow:
    stage_type: str
    topic: str  # a plugin topic's key, or "p<id>" for a programme topic
    title: Any = ""
    consultations: int = 0  # every consultation but the cancelled ones
    held: int = 0
    minutes: int = 0
    response_seconds: float = 0.0
    responded: int = 0  # requested and then scheduled: what the speed of response is measured on
    rating_sum: int = 0
    rated: int = 0
    cancelled: int = 0

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def response_hours(self) -> float | None:
        return self.response_seconds / self.responded / 3600 if self.responded else None

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    def add(self, other: KpiRow) -> None:
        for name in ("consultations", "held", "minutes", "response_seconds", "responded", "rating_sum", "rated",
                     "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _seconds_between(start, end):
    if db.session.get_bind().dialect.name == "postgresql":
        return extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def kpi_rows(*criteria) -> list[KpiRow]:
    """KPIs of the consultations matching `criteria` (readable in the current context), by stage type and topic."""
    c = Consultation
    held = c.status.in_(HELD)
    responded = c.requested_at.is_not(None) & c.accepted_at.is_not(None)
    cancelled = c.status == ConsultationStatus.CANCELLED
    query = (
        select(
            c.stage_type,
            c.topic_key,
            c.programme_topic_id,
            func.sum(case((cancelled, 0), else_=1)),
            func.sum(case((held, 1), else_=0)),
            func.sum(case((held, c.duration_minutes), else_=0)),
            func.sum(case((responded, _seconds_between(c.requested_at, c.accepted_at)), else_=0)),
            func.sum(case((responded, 1), else_=0)),
            func.sum(func.coalesce(c.rating, 0)),
            func.count(c.rating),
            func.sum(case((cancelled, 1), else_=0)),
        )
        .where(*criteria)
        .group_by(c.stage_type, c.topic_key, c.programme_topic_id)
    )
    rows = []
    for stage_type, topic_key, programme_topic_id, *values in db.session.execute(query):
        row = KpiRow(stage_type, topic_group_key(topic_key, programme_topic_id))
        (row.consultations, row.held, row.minutes, response, row.responded, row.rating_sum, row.rated,
         row.cancelled) = (int(values[0] or 0), int(values[1] or 0), int(values[2] or 0), float(values[3] or 0),
                           int(values[4] or 0), int(values[5] or 0), int(values[6] or 0), int(values[7] or 0))
        row.response_seconds = response
        rows.append(row)
    return rows


def merge(rows: list[KpiRow]) -> list[KpiRow]:
    merged: dict[tuple[str, str], KpiRow] = {}
    for row in rows:
        key = (row.stage_type, row.topic)
        if key in merged:
            merged[key].add(row)
        else:
            merged[key] = row
    return list(merged.values())


def label(rows: list[KpiRow], programme_topic_titles: dict[int, str]) -> list[KpiRow]:
    """Give each row its topic's title, and order rows by stage type, then by topic title."""
    topics = plugin_topics()
    for row in rows:
        if row.topic.startswith("p") and row.topic[1:].isdigit():
            row.title = programme_topic_titles.get(int(row.topic[1:]), UNKNOWN_TOPIC)
        else:
            topic = topics.get(row.topic)
            row.title = topic.title if topic else UNKNOWN_TOPIC
    stage_order = {key: position for position, key in enumerate(current_app.extensions["hromada.stage_types"])}
    return sorted(rows, key=lambda row: (stage_order.get(row.stage_type, len(stage_order)), str(row.title)))


def total(rows: list[KpiRow]) -> KpiRow:
    result = KpiRow("", "")
    for row in rows:
        result.add(row)
    return result


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart laid out on the server, drawn as inline SVG without script."""

    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(title: str, items: list[tuple[str, float, str]], *, width: int = 640, label_width: int = 260,
              bar_height: int = 22, gap: int = 8) -> BarChart:
    """`items`: (label, value, value as text). Bars are scaled to the largest value."""
    largest = max((value for _, value, _ in items), default=0) or 1
    room = width - label_width - 70
    bars = tuple(
        Bar(label=text_label, value=value, text=text, y=index * (bar_height + gap),
            width=round(room * value / largest, 1))
        for index, (text_label, value, text) in enumerate(items)
    )
    return BarChart(title=title, bars=bars, width=width, height=max(len(bars) * (bar_height + gap), bar_height),
                    label_width=label_width, bar_height=bar_height)
