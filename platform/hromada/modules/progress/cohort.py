"""The operator's cohort overview of a programme: one row per enrolled community.

Everything is loaded for the whole cohort at once (enrolments, names, progress
rows, requirements per stage, each plugin's column), so the number of queries
depends on the number of stages and plugins, never on the number of communities.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hromada import tenancy
from hromada.contributions import CohortColumn
from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.models import ProgressStatus
from hromada.modules.progress.services import (
    Standing,
    aware,
    funnel,
    is_stalled,
    now,
    requirements_for,
    standings,
)
from hromada.plugins import collect

STATUS_LABELS = {
    ProgressStatus.ADMITTED: _l("Admitted"),
    ProgressStatus.ACTIVE: _l("Active"),
    ProgressStatus.COMPLETED: _l("Completed"),
    ProgressStatus.WITHDRAWN: _l("Withdrawn"),
}
STATUS_ORDER = {status: index for index, status in enumerate(ProgressStatus)}

# The built-in columns: (key, label, kind). Plugins' columns follow them.
BUILT_IN_COLUMNS = (
    ("community", _l("Community"), "text"),
    ("stage", _l("Stage"), "text"),
    ("status", _l("Status"), "text"),
    ("requirements", _l("Requirements met"), "text"),
    ("last_activity", _l("Last activity"), "date"),
)


def status_label(status: ProgressStatus | None) -> Any:
    return STATUS_LABELS.get(status, _l("Not reached")) if status is not None else _l("Not reached")


def stage_label(stage: Stage | None) -> Any:
    """A stage's own title, else its stage type's title."""
    if stage is None:
        return "—"
    if stage.title:
        return stage.title
    stage_type = current_app.extensions["hromada.stage_types"].get(stage.stage_type)
    return stage_type.title if stage_type else stage.stage_type


def programme_stages(programme: Programme) -> list[Stage]:
    return list(db.session.scalars(select(Stage).where(Stage.programme_id == programme.id).order_by(Stage.position)))


@dataclass
class CohortRow:
    enrolment: Enrolment
    name: str
    standing: Standing
    met: int | None  # requirements of the current stage met (None: not in a stage)
    total: int | None
    stalled: bool
    extra: dict[str, Any] = field(default_factory=dict)  # plugin column key -> value

    @property
    def all_met(self) -> bool:
        return self.met is not None and self.met == self.total

    def sort_value(self, key: str, kind: str) -> Any:
        if key == "community":
            return self.name.casefold()
        if key == "stage":
            return self.standing.stage.position if self.standing.stage else None
        if key == "status":
            return STATUS_ORDER.get(self.standing.status) if self.standing.status else None
        if key == "requirements":
            return None if self.met is None else (self.met / self.total if self.total else 1.0, self.total)
        if key == "last_activity":
            value = self.enrolment.last_activity_at
            return aware(value).isoformat() if value else None
        return _sortable(self.extra.get(key), kind)


def _sortable(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind in ("number", "percent"):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    if kind == "date":
        return aware(value).isoformat() if isinstance(value, datetime) else str(value)
    return str(value).casefold()


@dataclass
class Cohort:
    programme: Programme
    stages: list[Stage]
    rows: list[CohortRow]
    columns: list[CohortColumn]  # the plugins' columns
    funnel: list[dict]

    def column_kinds(self) -> dict[str, str]:
        kinds = {key: kind for key, _label, kind in BUILT_IN_COLUMNS}
        kinds.update({column.key: column.kind for column in self.columns})
        return kinds

    def sort_choices(self) -> list[tuple[str, Any]]:
        return [(key, label) for key, label, _kind in BUILT_IN_COLUMNS] + [
            (column.key, column.label) for column in self.columns
        ]


def load_cohort(programme: Programme) -> Cohort:
    """Every enrolment of the programme with where it stands; lets the caller read these communities.

    The caller audits the read ("staff.read_cohort").
    """
    stages = programme_stages(programme)
    enrolments = list(
        db.session.scalars(select(Enrolment).where(Enrolment.programme_id == programme.id).order_by(Enrolment.id))
    )
    tenancy.allow_reading({enrolment.tenant_id for enrolment in enrolments})
    names = dict(
        db.session.execute(select(Community.id, Community.name).where(
            Community.id.in_([enrolment.tenant_id for enrolment in enrolments]))).all()
    ) if enrolments else {}
    standing_by_id = standings(enrolments, stages)

    requirements: dict[int, list] = {}
    for stage in stages:
        in_stage = [enrolment for enrolment in enrolments if enrolment.current_stage_id == stage.id]
        if in_stage:
            requirements.update(requirements_for(stage, in_stage))

    columns = collect(current_app.extensions["hromada.plugins"], "hromada_cohort_columns",
                      programme=programme, enrolments=enrolments)
    at = now()
    rows = []
    for enrolment in enrolments:
        pairs = requirements.get(enrolment.id)
        met = total = None
        if enrolment.current_stage_id is not None:
            pairs = pairs or []
            met, total = sum(1 for _, outcome in pairs if outcome.met), len(pairs)
        rows.append(CohortRow(
            enrolment=enrolment,
            name=names.get(enrolment.tenant_id, ""),
            standing=standing_by_id[enrolment.id],
            met=met,
            total=total,
            stalled=is_stalled(enrolment, programme, at),
            extra={column.key: column.values.get(enrolment.id) for column in columns},
        ))
    return Cohort(programme=programme, stages=stages, rows=rows, columns=columns,
                  funnel=funnel(stages, standing_by_id))


def filter_rows(rows: list[CohortRow], *, stage_id: int | None = None, status: str | None = None,
                stalled: bool = False, text: str | None = None) -> list[CohortRow]:
    needle = (text or "").strip().casefold()
    result = []
    for row in rows:
        if stage_id is not None and (row.standing.stage is None or row.standing.stage.id != stage_id):
            continue
        if status and (row.standing.status is None or row.standing.status.value != status):
            continue
        if stalled and not row.stalled:
            continue
        if needle and needle not in row.name.casefold():
            continue
        result.append(row)
    return result


def sort_rows(rows: list[CohortRow], key: str, kind: str, descending: bool = False) -> list[CohortRow]:
    """Sorted by one column; rows without a value come last in either order."""
    with_value = [(row.sort_value(key, kind), row) for row in rows]
    present = [pair for pair in with_value if pair[0] is not None]
    missing = [row for value, row in with_value if value is None]
    present.sort(key=lambda pair: (pair[0], pair[1].name.casefold()), reverse=descending)
    return [row for _value, row in present] + missing


# --- CSV export -----------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: text that starts like a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return aware(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def cohort_csv(cohort: Cohort, rows: list[CohortRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [str(label) for _key, label, _kind in BUILT_IN_COLUMNS]
    header += [str(column.label) for column in cohort.columns]
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        requirements = "" if row.met is None else f"{row.met}/{row.total}"
        cells = [
            row.name,
            str(stage_label(row.standing.stage)) if row.standing.stage else "",
            str(status_label(row.standing.status)) if row.standing.status else "",
            requirements,
            row.enrolment.last_activity_at,
        ]
        cells += [row.extra.get(column.key) for column in cohort.columns]
        writer.writerow([csv_cell(cell) for cell in cells])
    return buffer.getvalue()
