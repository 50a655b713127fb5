"""The operator's cohort overview of a programme: one row per enrolled community, a page at a time.

Where a community stands (its stage and status), its name and its last activity
are columns the database can compute, so filters, sorting by those columns and
pagination happen in SQL: a page costs the same for 50 or 5,000 communities,
and the requirements and the plugins' columns are evaluated only for the rows
shown. Sorting by a computed column (requirements met, a plugin's column) needs
its value for every community that matches the filters: those are computed for
all of them, sorted, and then cut into pages (correct, and slower on a large
cohort). The funnel and the totals always cover the whole programme, with
grouped queries. The number of queries depends on the number of stages and
plugins, never on the number of communities.
"""

from __future__ import annotations

import csv
import io
import math
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import String, and_, bindparam, case, exists, func, literal, null, select, type_coerce, union_all
from sqlalchemy.orm import aliased

from hromada import memo, tenancy
from hromada.caching.versions import cohort_name, cohort_version, platform_version
from hromada.clock import as_utc, now
from hromada.contributions import CohortColumn
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.models import ProgressStatus, StageProgress
from hromada.modules.progress.services import Standing, requirements_for
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
    return (
        select(Programme, cohort_version(), platform_version())
        .where(Programme.id == bindparam("programme_id"), Programme.organisation_id == bindparam("organisation_id"))
    )


def programme_with_versions(organisation_id: int, programme_id: int):
    """(the organisation's programme, its versions) in one query, or None.

    The versions: the cohort's (which moves with every enrolled community's) and the platform's.
    """
    found = db.session.execute(_programme_statement(), {
        "organisation_id": organisation_id, "programme_id": programme_id, "cohort": cohort_name(programme_id)}).first()
    if found is None:
        return None
    programme, cohort, platform = found
    return programme, (cohort or 0, platform or 0)


def programme_stages(programme: Programme) -> list[Stage]:
    return list(db.session.scalars(select(Stage).where(Stage.programme_id == programme.id).order_by(Stage.position)))


def plugin_columns(programme: Programme, enrolments: list[Enrolment]) -> list[CohortColumn]:
    """The plugins' columns with their values for `enrolments` (with none: just the columns)."""
    return collect(current_app.extensions["hromada.plugins"], "hromada_cohort_columns",
                   programme=programme, enrolments=enrolments)


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
    present.sort(key=lambda pair: (pair[0], pair[1].name.casefold()), reverse=descending)
    missing.sort(key=lambda row: row.name.casefold())
    return [row for _value, row in present] + missing


# --- The whole programme: totals and the funnel ------------------------------------------


@dataclass
class CohortSummary:
    programme: Programme
    stages: list[Stage]
    tenant_ids: list[int]  # every enrolled community
    funnel: list[dict]

    @property
    def total(self) -> int:
        return len(self.tenant_ids)


def load_summary(programme: Programme, stages: list[Stage]) -> CohortSummary:
    """How many communities are enrolled, and how many entered and completed each stage (two queries).

    Reads only enrolments and progress rows, which the organisation shares with its communities.
    """
    tenant_ids = list(db.session.scalars(
        select(Enrolment.tenant_id).where(Enrolment.programme_id == programme.id).order_by(Enrolment.tenant_id)))
    return CohortSummary(programme=programme, stages=stages, tenant_ids=tenant_ids, funnel=_funnel(programme, stages))


def _funnel(programme: Programme, stages: list[Stage]) -> list[dict]:
    """For each stage: how many communities entered it, completed it and left during it.

    A community entered a stage when it has a progress row for it, or is in it
    without one yet (admission creates only the enrolment).
    """
    counts = {stage.id: {"entered": 0, "completed": 0, "withdrawn": 0} for stage in stages}
    if stages:
        stage_ids = [stage.id for stage in stages]
        with_row = (
            select(StageProgress.stage_id.label("stage_id"), func.count().label("entered"),
                   func.count(case((StageProgress.status == ProgressStatus.COMPLETED, 1))).label("completed"),
                   func.count(case((StageProgress.status == ProgressStatus.WITHDRAWN, 1))).label("withdrawn"))
            .join(Enrolment, Enrolment.id == StageProgress.enrolment_id)
            .where(StageProgress.stage_id.in_(stage_ids), Enrolment.programme_id == programme.id)
            .group_by(StageProgress.stage_id)
        )
        without_row = (
            select(Enrolment.current_stage_id, func.count(), literal(0), literal(0))
            .where(Enrolment.programme_id == programme.id, Enrolment.current_stage_id.in_(stage_ids),
                   ~exists().where(StageProgress.enrolment_id == Enrolment.id,
                                   StageProgress.stage_id == Enrolment.current_stage_id))
            .group_by(Enrolment.current_stage_id)
        )
        for stage_id, entered, completed, withdrawn in db.session.execute(union_all(with_row, without_row)):
            if stage_id in counts:
                counts[stage_id]["entered"] += entered
                counts[stage_id]["completed"] += completed
                counts[stage_id]["withdrawn"] += withdrawn
    return [{"stage": stage, **counts[stage.id]} for stage in stages]


# --- The rows ------------------------------------------------------------------------------


@dataclass
class CohortPage:
    rows: list[CohortRow]
    columns: list[CohortColumn]  # the plugins' columns
    matching: int  # communities that match the filters
    number: int  # this page's number, from 1
    pages: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _standings(programme: Programme, stages: list[Stage]):
    return _standings_of(programme.id, tuple((stage.id, stage.position) for stage in stages))


@lru_cache(maxsize=64)
def _standings_of(programme_id: int, positions: tuple[tuple[int, int], ...]):
    """A CTE: each enrolment of the programme with its community's name and where it stands.

    The same rule as `standings()` in services, in SQL. In a stage: that stage,
    with the status of its progress row (admitted when there is none), counted as
    active once the community did something after entering it. Out of the
    stages: the stage it withdrew from, else the last stage it completed.
    Materialised, so that sorting and filtering by these columns does not make
    PostgreSQL compute them again. Built once per programme and stages (SQLAlchemy
    takes longer to build this statement than PostgreSQL to run it); a statement
    is immutable, so requests share it.
    """
    current = aliased(StageProgress, name="current_progress")
    left = aliased(StageProgress, name="left_progress")
    done = aliased(StageProgress, name="done_progress")
    positions = dict(positions)
    withdrawn_stage = (
        select(left.stage_id).where(left.enrolment_id == Enrolment.id, left.status == ProgressStatus.WITHDRAWN)
        .order_by(left.id).limit(1).scalar_subquery()
    )
    completed_stage = (
        select(done.stage_id).where(done.enrolment_id == Enrolment.id, done.status == ProgressStatus.COMPLETED)
        .order_by(case(positions, value=done.stage_id, else_=-1).desc(), done.id).limit(1).scalar_subquery()
    ) if positions else null()
    in_stage = Enrolment.current_stage_id.is_not(None)
    row_status = type_coerce(func.coalesce(current.status, ProgressStatus.ADMITTED.value), String)
    since = case((current.id.is_(None), Enrolment.created_at), else_=current.admitted_at)
    started = and_(row_status == ProgressStatus.ADMITTED.value, Enrolment.last_activity_at.is_not(None),
                   Enrolment.last_activity_at >= since)
    left_status = case(
        (withdrawn_stage.is_not(None), ProgressStatus.WITHDRAWN.value),
        (completed_stage.is_not(None), ProgressStatus.COMPLETED.value),
        else_=null(),
    )
    return (
        select(
            Enrolment.id.label("enrolment_id"),
            Community.name.label("name"),
            func.lower(Community.name).label("sort_name"),
            case((in_stage, Enrolment.current_stage_id),
                 else_=func.coalesce(withdrawn_stage, completed_stage)).label("stage_id"),
            type_coerce(case((in_stage, case((started, ProgressStatus.ACTIVE.value), else_=row_status)),
                             else_=left_status), String).label("status"),
        )
        .join(Community, Community.id == Enrolment.tenant_id)
        .outerjoin(current, and_(current.enrolment_id == Enrolment.id,
                                 current.stage_id == Enrolment.current_stage_id))
        .where(Enrolment.programme_id == programme_id)
        .cte("standings")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def _stall_cutoff(programme: Programme) -> datetime:
    return now() - timedelta(days=programme.stall_days or 0)


def _statement(programme: Programme, stages: list[Stage], query: CohortQuery):
    """Enrolments of the programme that match the filters, with their name and standing; and the CTE."""
    standings = _standings(programme, stages)
    statement = (
        select(Enrolment, standings.c.name, standings.c.stage_id, standings.c.status)
        .join(standings, standings.c.enrolment_id == Enrolment.id)
    )
    if query.stage_id is not None:
        statement = statement.where(standings.c.stage_id == query.stage_id)
    if query.status:
        statement = statement.where(standings.c.status == query.status)
    if query.stalled:
        statement = statement.where(
            Enrolment.current_stage_id.is_not(None),
            func.coalesce(Enrolment.last_activity_at, Enrolment.created_at) < _stall_cutoff(programme),
        )
    needle = (query.text or "").strip().lower()
    if needle:
        # lower() is Unicode-aware on PostgreSQL and, through hromada.database, on SQLite too.
        statement = statement.where(standings.c.sort_name.contains(needle, autoescape=True))
    return statement, standings


def _ordered(statement, standings, stages: list[Stage], query: CohortQuery):
    """ORDER BY the sort column (rows without a value last, in either order), then the name."""
    positions = {stage.id: stage.position for stage in stages}
    statuses = {status.value: index for status, index in STATUS_ORDER.items()}
    value = {
        "community": standings.c.sort_name,
        "stage": case(positions, value=standings.c.stage_id, else_=null()) if positions else null(),
        "status": case(statuses, value=standings.c.status, else_=null()),
        "last_activity": Enrolment.last_activity_at,
    }[query.sort]
    name = standings.c.sort_name
    missing = case((value.is_(None), 1), else_=0)
    direction = (lambda column: column.desc()) if query.descending else (lambda column: column.asc())
    return statement.order_by(missing, direction(value), direction(case((value.is_(None), ""), else_=name)),
                              name, Enrolment.id)


def _rows(found, stages: list[Stage], programme: Programme) -> list[CohortRow]:
    stages_by_id = {stage.id: stage for stage in stages}
    cutoff = _stall_cutoff(programme)
    rows = []
    for enrolment, name, stage_id, status in found:
        standing = Standing(enrolment, stages_by_id.get(stage_id), ProgressStatus(status) if status else None, None)
        in_stage = enrolment.current_stage_id is not None
        rows.append(CohortRow(
            enrolment=enrolment, name=name, standing=standing, met=None, total=None,
            stalled=in_stage and as_utc(enrolment.last_activity_at or enrolment.created_at) < cutoff,
        ))
    return rows


def _evaluate(rows: list[CohortRow], programme: Programme, stages: list[Stage]) -> list[CohortColumn]:
    """Fill in the requirements met and the plugins' columns of `rows`; returns the plugins' columns.

    The columns go first: a plugin that needs the same figures for its column and its
    requirement (course completion) then finds them in the request's memo.
    """
    enrolments = [row.enrolment for row in rows]
    columns = plugin_columns(programme, enrolments)
    for row in rows:
        row.extra = {column.key: column.values.get(row.enrolment.id) for column in columns}
    for stage in stages:
        in_stage = [row for row in rows if row.enrolment.current_stage_id == stage.id]
        if not in_stage:
            continue
        outcomes = requirements_for(stage, [row.enrolment for row in in_stage])
        for row in in_stage:
            pairs = outcomes.get(row.enrolment.id, [])
            row.met, row.total = sum(1 for _, outcome in pairs if outcome.met), len(pairs)
    for row in rows:
        if row.enrolment.current_stage_id is not None and row.met is None:
            row.met, row.total = 0, 0  # in a stage the programme no longer lists
    return columns


def _found(statement, summary: CohortSummary) -> list:
    """Run the rows' statement, reading the names of the programme's communities (to filter and sort by them)."""
    with tenancy.scope(reader_tenants=frozenset(summary.tenant_ids)):
        return db.session.execute(statement).all()


def _evaluated(rows: list[CohortRow], programme: Programme, stages: list[Stage]) -> list[CohortColumn]:
    """`_evaluate`, with the context reading just these rows' communities, as the plugins' hooks expect."""
    tenancy.allow_reading({row.enrolment.tenant_id for row in rows})
    return _evaluate(rows, programme, stages)


def load_page(summary: CohortSummary, query: CohortQuery, number: int, size: int) -> CohortPage:
    """One page of the rows that match `query`, in its order. A number past the last page gives the last page.

    The caller audits the read ("staff.read_cohort") of the communities on the page.
    """
    programme, stages = summary.programme, summary.stages
    statement, standing = _statement(programme, stages, query)
    with memo.scope():
        if query.sort not in SQL_SORTED:
            rows = _rows(_found(statement.order_by(Enrolment.id), summary), stages, programme)
            columns = _evaluated(rows, programme, stages)
            rows = sort_rows(rows, query.sort, query.kind, query.descending)
            matching = len(rows)
            pages = max(1, math.ceil(matching / size))
            number = min(number, pages)
            rows = rows[(number - 1) * size:number * size]
            return CohortPage(rows=rows, columns=columns, matching=matching, number=number, pages=pages)
        matching = _count(statement, summary) if query.filtered else summary.total
        pages = max(1, math.ceil(matching / size))
        number = min(number, pages)
        ordered = _ordered(statement, standing, stages, query).limit(size).offset((number - 1) * size)
        rows = _rows(_found(ordered, summary), stages, programme)
        columns = _evaluated(rows, programme, stages)
    return CohortPage(rows=rows, columns=columns, matching=matching, number=number, pages=pages)


def _count(statement, summary: CohortSummary) -> int:
    with tenancy.scope(reader_tenants=frozenset(summary.tenant_ids)):
        return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def load_all(summary: CohortSummary, query: CohortQuery) -> tuple[list[CohortRow], list[CohortColumn]]:
    """Every row that matches `query`, in its order, evaluated (for the export). A bounded number of queries."""
    programme, stages = summary.programme, summary.stages
    statement, standing = _statement(programme, stages, query)
    with memo.scope():
        if query.sort in SQL_SORTED:
            rows = _rows(_found(_ordered(statement, standing, stages, query), summary), stages, programme)
            return rows, _evaluated(rows, programme, stages)
        rows = _rows(_found(statement.order_by(Enrolment.id), summary), stages, programme)
        columns = _evaluated(rows, programme, stages)
    return sort_rows(rows, query.sort, query.kind, query.descending), columns


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
    for index, row in enumerate(rows, start=1):
        requirements = "" if row.met is None else f"{row.met}/{row.total}"
        cells = [
            row.name,
            str(stage_label(row.standing.stage)) if row.standing.stage else "",
            str(status_label(row.standing.status)) if row.standing.status else "",
            requirements,
            row.enrolment.last_activity_at,
        ]
        cells += [row.extra.get(column.key) for column in columns]
        writer.writerow([csv_cell(cell) for cell in cells])
        if index % chunk == 0:
            yield flush()
    yield flush()
