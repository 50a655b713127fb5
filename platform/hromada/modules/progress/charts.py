"""Geometry of the server-rendered SVG charts: a programme timeline and the cohort funnel.

Plain arithmetic in the page's own coordinates: no chart library is needed to
place a few rectangles, and the pages must load no script.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hromada.modules.progress.models import ProgressStatus

TIMELINE_WIDTH = 640
TIMELINE_GAP = 8
TITLE_CHARACTERS = 22


def _short(text: Any, limit: int = TITLE_CHARACTERS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    number: int
    title: str
    short_title: str
    status: str  # a ProgressStatus value, or "not-reached"
    current: bool

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


def timeline(stages: list, status_of, current_stage_id: int | None, label_of) -> list[Segment]:
    """One segment per stage, left to right; `status_of(stage)` is its ProgressStatus or None."""
    if not stages:
        return []
    width = (TIMELINE_WIDTH - TIMELINE_GAP * (len(stages) - 1)) / len(stages)
    segments = []
    for index, stage in enumerate(stages):
        status = status_of(stage)
        title = str(label_of(stage))
        segments.append(Segment(
            x=round(index * (width + TIMELINE_GAP), 2),
            width=round(width, 2),
            number=index + 1,
            title=title,
            short_title=_short(title, max(6, int(width / 8))),
            status=status.value if isinstance(status, ProgressStatus) else "not-reached",
            current=stage.id == current_stage_id,
        ))
    return segments


FUNNEL_LABEL_WIDTH = 180
FUNNEL_BAR_WIDTH = 400
FUNNEL_ROW_HEIGHT = 44


@dataclass(frozen=True)
class FunnelBar:
    y: float
    title: str
    entered: int
    completed: int
    entered_width: float
    completed_width: float


def funnel_bars(funnel: list[dict], label_of) -> list[FunnelBar]:
    """Bars for entered (full) and completed (inside) per stage, scaled to the largest stage."""
    largest = max((row["entered"] for row in funnel), default=0) or 1
    bars = []
    for index, row in enumerate(funnel):
        bars.append(FunnelBar(
            y=index * FUNNEL_ROW_HEIGHT,
            title=_short(label_of(row["stage"]), 24),
            entered=row["entered"],
            completed=row["completed"],
            entered_width=round(FUNNEL_BAR_WIDTH * row["entered"] / largest, 2),
            completed_width=round(FUNNEL_BAR_WIDTH * row["completed"] / largest, 2),
        ))
    return bars
