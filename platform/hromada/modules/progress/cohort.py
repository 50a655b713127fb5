"""The operator's cohort overview of a programme: one row per enrolled community, a page at a time.

Where a community stands (its stage and status), its name and its last activity
are kept on write in the read model (`standings`), so filters, sorting by those
columns, counting and pagination are one indexed query: a page costs the same
for 50 or 8,000 communities. The requirements met and the plugins' columns are
kept there too once evaluated, and evaluated again (for the rows shown only)
after a write moved the row's version. Sorting by one of those needs every
matching row's value: kept ones are read, the others evaluated first. The
funnel and the totals cover the whole programme with grouped queries. The
number of queries depends on the number of stages and plugins, never on the
number of communities.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app, request, url_for
from flask_babel import gettext
from sqlalchemy import Float, Text, bindparam, case, cast, func, null, select
from sqlalchemy.orm import defer

from hromada.caching.versions import cohort_name, cohort_version, platform_version
from hromada.clock import as_utc, now
from hromada.contributions import CohortColumn
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.models import ProgressStatus
from hromada.modules.progress.standings.evaluation import evaluations, from_json, out_of_date
from hromada.modules.progress.standings.funnel import kept_funnel
from hromada.modules.progress.standings.model import CohortStanding, ProgrammeCohortCount
from hromada.paging import Page, bounds
from hromada.times import day_formatter

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
# Columns the database sorts by; the others are computed per community.
SQL_SORTED = ("community", "stage", "status", "last_activity")


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


def stage_short_label(stage: Stage | None) -> Any:
    """What a table's column or a chart's label shows: the stage's own title, else its type's short title.

    A title the stage type's translators shortened reads naturally in every language, where a
    cut ("Incubator: creating and…") or a CSS ellipsis would not; the full title stays on the
    stage's own pages and in the `title` of the short one.
    """
    if stage is None or stage.title:
        return stage_label(stage)
    stage_type = current_app.extensions["hromada.stage_types"].get(stage.stage_type)
    return (stage_type.short_title or stage_type.title) if stage_type else stage.stage_type


@lru_cache(maxsize=1)
def _programme_statement():
    enrolled = (select(ProgrammeCohortCount.communities)
                .where(ProgrammeCohortCount.programme_id == Programme.id).scalar_subquery())
    return (
        select(Programme, cohort_version(), platform_version(), enrolled)
        .where(Programme.id == bindparam("programme_id"), Programme.organisation_id == bindparam("organisation_id"))
    )


def programme_with_versions(organisation_id: int, programme_id: int):
    """(the organisation's programme, its versions, how many communities are enrolled) in one query, or None.

    The versions: the cohort's (which moves with every enrolled community's) and the platform's.
    """
    found = db.session.execute(_programme_statement(), {
        "organisation_id": organisation_id, "programme_id": programme_id, "cohort": cohort_name(programme_id)}).first()
    if found is None:
        return None
    programme, cohort, platform, enrolled = found
    return programme, (cohort or 0, platform or 0), enrolled or 0


def programme_stages(programme: Programme) -> list[Stage]:
    return list(db.session.scalars(select(Stage).where(Stage.programme_id == programme.id).order_by(Stage.position)))


@dataclass(frozen=True)
class CohortQuery:
    """Which communities to show, in which order."""

    stage_id: int | None = None
    status: str | None = None
    stalled: bool = False
    text: str | None = None
    sort: str = "stage"
    kind: str = "text"  # of the sort column
    descending: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.stage_id is not None or self.status or self.stalled or (self.text or "").strip())


@dataclass
class CohortRow:
    entry: CohortStanding  # the enrolment's row of the read model
    stage: Stage | None  # the stage it is in, or left the programme from
    status: ProgressStatus | None
    stalled: bool
    met: int | None = None  # requirements of the current stage met (None: not in a stage)
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # plugin column key -> value

    name = property(lambda self: self.entry.name)
    enrolment_id = property(lambda self: self.entry.enrolment_id)
    tenant_id = property(lambda self: self.entry.tenant_id)
    last_activity_at = property(lambda self: self.entry.last_activity_at)
    in_progress = property(lambda self: self.entry.current_stage_id is not None)

    @property
    def all_met(self) -> bool:
        return self.met is not None and self.met == self.total

    def sort_value(self, key: str, kind: str) -> Any:
        if key == "community":
            return self.entry.sort_name
        if key == "stage":
            return self.entry.stage_position
        if key == "status":
            return STATUS_ORDER.get(self.status) if self.status else None
        if key == "requirements":
            return None if self.met is None else (self.met / self.total if self.total else 1.0, self.total)
        if key == "last_activity":
            value = self.entry.last_activity_at
            return as_utc(value).isoformat() if value else None
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
        return as_utc(value).isoformat() if isinstance(value, datetime) else str(value)
    return str(value).casefold()


def sort_rows(rows: list[CohortRow], key: str, kind: str, descending: bool = False) -> list[CohortRow]:
    """Sorted by one column, then by name; rows without a value come last in either order."""
    with_value = [(row.sort_value(key, kind), row) for row in rows]
    present = [pair for pair in with_value if pair[0] is not None]
    missing = [row for value, row in with_value if value is None]
    present.sort(key=lambda pair: (pair[0], pair[1].entry.sort_name, pair[1].enrolment_id), reverse=descending)
    missing.sort(key=lambda row: (row.entry.sort_name, row.enrolment_id))
    return [row for _value, row in present] + missing


# --- The whole programme: totals and the funnel ------------------------------------------


@dataclass
class CohortSummary:
    programme: Programme
    stages: list[Stage]
    total: int  # communities enrolled
    funnel: list[dict]


def load_summary(programme: Programme, stages: list[Stage], total: int | None = None) -> CohortSummary:
    """How many communities are enrolled (`total`, when the caller read it with the programme), and how many
    entered and completed each stage: one or two queries.

    Reads only counts kept on write and the read model, which the organisation shares with its communities:
    the same two small reads at 800 communities as at 8,000.
    """
    if total is None:
        total = db.session.scalar(select(ProgrammeCohortCount.communities)
                                  .where(ProgrammeCohortCount.programme_id == programme.id)) or 0
    return CohortSummary(programme=programme, stages=stages, total=total, funnel=kept_funnel(programme, stages))


# --- The rows ------------------------------------------------------------------------------


# A page of CohortRow; `matching` counts the communities that match the filters.
CohortPage = Page


def _stall_cutoff(programme: Programme) -> datetime:
    return now() - timedelta(days=programme.stall_days or 0)


def _statement(programme: Programme, query: CohortQuery):
    """The read model's rows of the programme that match the filters: one indexed query."""
    # The requirements' outcomes are the progress page's; the cohort shows how many are met.
    statement = (select(CohortStanding).options(defer(CohortStanding.outcomes))
                 .where(CohortStanding.programme_id == programme.id))
    if query.stage_id is not None:
        statement = statement.where(CohortStanding.stage_id == query.stage_id)
    if query.status:
        statement = statement.where(CohortStanding.status == query.status)
    if query.stalled:
        # Against now, at read time: a community stalls with the clock, not with a write.
        statement = statement.where(CohortStanding.current_stage_id.is_not(None),
                                    CohortStanding.quiet_since < _stall_cutoff(programme))
    needle = (query.text or "").strip().lower()
    if needle:
        # lower() is Unicode-aware on PostgreSQL and, through hromada.database, on SQLite too.
        statement = statement.where(CohortStanding.sort_name.contains(needle, autoescape=True))
    return statement


def _ordered(statement, query: CohortQuery):
    """ORDER BY the sort column (rows without a value last, in either order), then the name.

    Ascending, the order is the one of an index (`value NULLS LAST, name, id`), so the first
    page of the default view (by stage) is read off it without sorting the programme.
    """
    statuses = {status.value: index for status, index in STATUS_ORDER.items()}
    value = {
        "community": CohortStanding.sort_name,
        "stage": CohortStanding.stage_position,
        "status": case(statuses, value=CohortStanding.status, else_=null()),
        "last_activity": CohortStanding.last_activity_at,
    }[query.sort]
    name = CohortStanding.sort_name
    if not query.descending:
        return statement.order_by(value.asc().nulls_last(), name, CohortStanding.enrolment_id)
    # Descending by value and by name; rows without a value last, by name.
    return statement.order_by(value.desc().nulls_last(), case((value.is_(None), ""), else_=name).desc(), name,
                              CohortStanding.enrolment_id)


def _rows(entries, stages: list[Stage], programme: Programme) -> list[CohortRow]:
    stages_by_id = {stage.id: stage for stage in stages}
    cutoff = _stall_cutoff(programme)
    return [CohortRow(entry=entry, stage=stages_by_id.get(entry.stage_id),
                      status=ProgressStatus(entry.status) if entry.status else None,
                      stalled=entry.current_stage_id is not None and as_utc(entry.quiet_since) < cutoff)
            for entry in entries]


def _evaluate(rows: list[CohortRow], programme: Programme, stages: list[Stage]) -> None:
    """Fill in the requirements met and the plugins' columns: kept in the read model, else evaluated now."""
    found = evaluations(programme, stages, [row.entry for row in rows], with_outcomes=False)
    for row in rows:
        evaluation = found[row.enrolment_id]
        row.met, row.total, row.extra = evaluation.met, evaluation.total, evaluation.values


def load_page(summary: CohortSummary, query: CohortQuery, number: int, size: int) -> CohortPage:
    """One page of the rows that match `query`, in its order. A number past the last page gives the last page.

    The caller audits the read ("staff.read_cohort") of the communities on the page.
    """
    programme, stages = summary.programme, summary.stages
    statement = _statement(programme, query)
    kept_value = _kept_value(query)
    if kept_value is not None:
        # Sorted by an evaluated number the read model keeps: the matching rows that are out of date are
        # evaluated first (only those), then the database sorts and cuts the page, as for the other columns.
        _evaluate(_rows(db.session.scalars(statement.where(out_of_date(now()))), stages, programme), programme, stages)
        matching = _count(statement) if query.filtered else summary.total
        number, pages = bounds(number, matching, size)
        direction = (lambda column: column.desc()) if query.descending else (lambda column: column.asc())
        # As `sort_rows` orders the export: by the value, then (requirements) how many, then the name, each
        # in the chosen direction; rows without a value last.
        then = [direction(CohortStanding.total)] if query.sort == "requirements" else []
        named = case((kept_value.is_(None), ""), else_=CohortStanding.sort_name)  # rows without one: by name
        ordered = (statement.order_by(direction(kept_value).nulls_last(), *then, direction(named),
                                      CohortStanding.sort_name, CohortStanding.enrolment_id)
                   .limit(size).offset((number - 1) * size).execution_options(populate_existing=True))
        rows = _rows(db.session.scalars(ordered), stages, programme)
        _evaluate(rows, programme, stages)
        return CohortPage(rows=rows, matching=matching, number=number, pages=pages)
    if query.sort not in SQL_SORTED:
        return _sorted_by_text(statement, summary, query, number, size)
    matching = _count(statement) if query.filtered else summary.total
    number, pages = bounds(number, matching, size)
    ordered = _ordered(statement, query).limit(size).offset((number - 1) * size)
    rows = _rows(db.session.scalars(ordered), stages, programme)
    _evaluate(rows, programme, stages)
    return CohortPage(rows=rows, matching=matching, number=number, pages=pages)


def _sorted_by_text(statement, summary: CohortSummary, query: CohortQuery, number: int, size: int) -> CohortPage:
    """A page sorted by a plugin's text or date column, whose order is its translation (in Python).

    The matching rows that are out of date are evaluated first (only those); of the others only the kept
    value and the name are read, each distinct value made sortable once (a column has few: "draft",
    "adopted"…), and only the page's rows are loaded whole: at 8,137 communities this read and built every
    row of the programme (770 ms).
    """
    programme, stages = summary.programme, summary.stages
    stale = _rows(db.session.scalars(statement.where(out_of_date(now()))), stages, programme)
    _evaluate(stale, programme, stages)
    values = {row.enrolment_id: (row.sort_value(query.sort, query.kind), row.entry.sort_name) for row in stale}
    # The column's kept value as the JSON text the database holds (not every column of every row decoded).
    kept_text = cast(CohortStanding.columns[query.sort], Text)
    sortable: dict[str | None, Any] = {}
    for enrolment_id, name, marker in db.session.execute(statement.with_only_columns(
            CohortStanding.enrolment_id, CohortStanding.sort_name, kept_text)):
        if enrolment_id not in values:
            if marker not in sortable:
                sortable[marker] = _sortable(from_json(json.loads(marker) if marker else None), query.kind)
            values[enrolment_id] = (sortable[marker], name)
    # As `sort_rows`: by the value, then the name, both in the chosen direction; rows without a value last.
    present = sorted(((value, name, enrolment_id) for enrolment_id, (value, name) in values.items()
                      if value is not None), reverse=query.descending)
    missing = sorted((name, enrolment_id) for enrolment_id, (value, name) in values.items() if value is None)
    order = [enrolment_id for _value, _name, enrolment_id in present] + [enrolment_id for _name, enrolment_id in missing]
    matching = len(order)
    number, pages = bounds(number, matching, size)
    shown = order[(number - 1) * size:number * size]
    rows = {row.enrolment_id: row for row in _rows(db.session.scalars(
        statement.where(CohortStanding.enrolment_id.in_(shown))), stages, programme)} if shown else {}
    _evaluate(list(rows.values()), programme, stages)
    return CohortPage(rows=[rows[enrolment_id] for enrolment_id in shown if enrolment_id in rows],
                      matching=matching, number=number, pages=pages)


def _kept_value(query: CohortQuery):
    """The SQL expression of an evaluated column the read model keeps as a number, or None.

    Requirements met (the share met, then how many there are) and the plugins' number and percent
    columns; a text or a date column (a translatable text, a moment) is sorted in Python.
    """
    if query.sort == "requirements":
        total = func.nullif(CohortStanding.total, 0)
        return func.coalesce(cast(CohortStanding.met, Float) / total, case((CohortStanding.met.is_not(None), 1.0)))
    if query.sort not in SQL_SORTED and query.kind in ("number", "percent"):
        return CohortStanding.columns[query.sort].as_float()
    return None


def _count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def load_all(summary: CohortSummary, query: CohortQuery) -> list[CohortRow]:
    """Every row that matches `query`, in its order, evaluated (for the export). A bounded number of queries."""
    programme, stages = summary.programme, summary.stages
    statement = _statement(programme, query)
    if query.sort in SQL_SORTED:
        rows = _rows(db.session.scalars(_ordered(statement, query)), stages, programme)
        _evaluate(rows, programme, stages)
        return rows
    rows = _rows(db.session.scalars(statement), stages, programme)
    _evaluate(rows, programme, stages)
    return sort_rows(rows, query.sort, query.kind, query.descending)


# --- The table's lines, as the page shows them -------------------------------------


@dataclass
class CohortLine:
    """One row of the table, its texts made once here: the template only places them (50 rows × 10 cells
    of macros, links and translations made it the largest part of the page's time)."""

    name: str
    progress_url: str
    advance_url: str | None  # None: out of the stages, nothing to move
    stage: tuple[str, str] | None  # (short label, full title)
    status: str
    stalled: bool
    requirements: str
    last_activity: str | None
    cells: list[str]


class _Texts:
    """A translatable value as text, translated once per page or export (values repeat down a column)."""

    def __init__(self):
        self.known: dict[Any, str] = {}

    def __call__(self, value: Any) -> Any:
        if not hasattr(value, "_args"):
            return value
        key = (value._args, tuple(sorted(value._kwargs.items())))
        try:
            hash(key)
        except TypeError:  # a value that is itself a translatable text
            return str(value)
        if key not in self.known:
            self.known[key] = str(value)
        return self.known[key]


# An id no row has, put where each row's own id goes in a link built once for the page.
_SLOT = "2147483647"


def cohort_lines(rows: list[CohortRow], columns: list[CohortColumn], organisation_id: int, programme_id: int,
                 stage_names: dict, status_names: dict) -> list[CohortLine]:
    progress = url_for("progress.community_progress", community_id=int(_SLOT), programme_id=programme_id)
    advance = url_for("progress.advance_enrolment", organisation_id=organisation_id, programme_id=programme_id,
                      enrolment_id=int(_SLOT), next=request.full_path)
    texts = _Texts()
    format_day = day_formatter()
    met_texts: dict[tuple[int, int], str] = {}

    def requirements(row: CohortRow) -> str:
        if row.met is None:
            return "—"
        if (row.met, row.total) not in met_texts:
            met_texts[row.met, row.total] = gettext("%(met)d of %(total)d", met=row.met, total=row.total)
        return met_texts[row.met, row.total]

    def shown(value: Any, kind: str) -> str:
        if value is None or (isinstance(value, str) and value == ""):
            return "—"
        if kind == "percent":
            return f"{round(float(value))} %"
        if kind == "date":
            return format_day(value)
        return str(texts(value))

    lines = []
    for row in rows:
        lines.append(CohortLine(
            name=row.name,
            progress_url=progress.replace(_SLOT, str(row.tenant_id), 1),
            advance_url=advance.replace(_SLOT, str(row.enrolment_id), 1) if row.in_progress else None,
            stage=stage_names.get(row.stage.id) if row.stage else None,
            status=status_names[row.status],
            stalled=row.stalled,
            requirements=requirements(row),
            last_activity=format_day(row.last_activity_at) if row.last_activity_at else None,
            cells=[shown(row.extra.get(column.key), column.kind) for column in columns],
        ))
    return lines


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
        return as_utc(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def cohort_csv(rows: list[CohortRow], columns: list[CohortColumn], chunk: int = 200) -> Iterator[str]:
    """The rows as CSV, a chunk of lines at a time (the response streams them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    header = [str(label) for _key, label, _kind in BUILT_IN_COLUMNS]
    header += [str(column.label) for column in columns]
    writer.writerow([csv_cell(cell) for cell in header])
    stages: dict[int, str] = {}
    statuses = {status: str(status_label(status)) for status in ProgressStatus}
    texts = _Texts()
    for index, row in enumerate(rows, start=1):
        requirements = "" if row.met is None else f"{row.met}/{row.total}"
        if row.stage is not None and row.stage.id not in stages:
            stages[row.stage.id] = str(stage_label(row.stage))
        cells = [
            row.name,
            stages[row.stage.id] if row.stage else "",
            statuses[row.status] if row.status else "",
            requirements,
            row.last_activity_at,
        ]
        cells += [texts(row.extra.get(column.key)) for column in columns]
        writer.writerow([csv_cell(cell) for cell in cells])
        if index % chunk == 0:
            yield flush()
    yield flush()
