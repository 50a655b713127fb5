"""Geometry of the server-rendered charts: a programme timeline (SVG) and the cohort funnel (HTML bars).

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


@dataclass(frozen=True)
class FunnelBar:
    """One stage of the funnel: its labels, its counts and each bar's length in % of the largest count."""

    number: int
    title: str
    full_title: str
    entered: int
    completed: int
    entered_percent: float
    completed_percent: float


def funnel_bars(funnel: list[dict], label_of, full_label_of) -> list[FunnelBar]:
    """Bars for entered and completed per stage, scaled to the largest stage.

    The labels are HTML beside the bars (they wrap and stay readable at any width), so no
    title is cut to fit; a bar of 0 is drawn by the template as an empty track.
    """
    largest = max((row["entered"] for row in funnel), default=0) or 1
    return [
        FunnelBar(
            number=index + 1,
            title=str(label_of(row["stage"])),
            full_title=str(full_label_of(row["stage"])),
            entered=row["entered"],
            completed=row["completed"],
            entered_percent=round(100 * row["entered"] / largest, 2),
            completed_percent=round(100 * row["completed"] / largest, 2),
        )
        for index, row in enumerate(funnel)
    ]
