"""What a cohort page evaluates for a row (requirements met, the plugins' columns), kept in the row.

A row's evaluation counts while nothing moved its version and its `evaluated_until`
has not passed; otherwise the page evaluates it again, for the rows it shows only,
with the plugins' hooks (a bounded number of queries, as before the read model),
and writes it back, conditional on the version it read first: a write that
commits meanwhile moves the version, so an evaluation older than the data it
describes is never kept as current. A row whose values cannot be kept (a plugin
value that is neither a number, a text, a date nor a translatable text) is
evaluated on every view, and shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable

from flask_babel import LazyString
from sqlalchemy import bindparam, or_, select, update

from hromada import memo, tenancy
from hromada.clock import as_utc, now, today
from hromada.contributions import Outcome
from hromada.extensions import db
from hromada.i18n import lazy_gettext
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.services import plugin_columns, requirements_for
from hromada.modules.progress.standings.model import CohortStanding


class NotKept(Exception):
    """A value the read model cannot store; its row is evaluated on every view."""


def to_json(value: Any) -> Any:
    """A cohort cell as JSON: plain values as they are, a translatable text by its message and values."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, LazyString):
        message, *rest = value._args
        variables = value._kwargs
        if rest or not isinstance(message, str) or any(
                not isinstance(v, (str, int, float)) for v in variables.values()):
            raise NotKept(message)
        return {"message": message, "values": variables}
    if isinstance(value, datetime):
        return {"datetime": as_utc(value).isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, str):
        return str(value)
    raise NotKept(type(value).__name__)


def from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "message" in value:
            variables = value.get("values") or {}
            if not variables:
                return _lazy_text(value["message"])
            return lazy_gettext(value["message"], **variables)
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


@lru_cache(maxsize=4096)
def _lazy_text(message: str):
    # A text without values is the same object for every row (it is translated when shown, per request).
    return lazy_gettext(message)


@dataclass(frozen=True)
class KeptRequirement:
    """What the progress page shows of a requirement kept in the read model: its key and label."""

    key: str
    label: Any


@dataclass
class Evaluation:
    met: int | None
    total: int | None
    values: dict[str, Any]  # plugin column key -> value, as shown
    outcomes: list = field(default_factory=list)  # [(requirement, Outcome)] of the current stage


def is_current(row: CohortStanding, at: datetime) -> bool:
    return row.evaluated_version == row.version and (
        row.evaluated_until is None or as_utc(row.evaluated_until) > at)


def out_of_date(at: datetime):
    """`not is_current(row, at)`, as a filter on `CohortStanding`."""
    return or_(CohortStanding.evaluated_version != CohortStanding.version, CohortStanding.evaluated_until <= at)


def kept(row: CohortStanding, with_outcomes: bool = True) -> Evaluation:
    outcomes = [(KeptRequirement(item["key"], from_json(item["label"])),
                 Outcome(item["met"], from_json(item["reason"]))) for item in row.outcomes or []
                ] if with_outcomes else []
    return Evaluation(row.met, row.total, {key: from_json(value) for key, value in (row.columns or {}).items()},
                      outcomes)


def evaluations(programme, stages, rows: Iterable[CohortStanding], *, with_outcomes: bool = True
                ) -> dict[int, Evaluation]:
    """{enrolment id: evaluation} of `rows`: kept ones read, the others evaluated and written back.

    Without `with_outcomes`, the kept rows' outcomes are not read (the rows may have them deferred).
    """
    at = now()
    rows = list(rows)
    result = {row.enrolment_id: kept(row, with_outcomes) for row in rows if is_current(row, at)}
    stale = [row for row in rows if row.enrolment_id not in result]
    if not stale:
        return result
    versions = {row.enrolment_id: row.version for row in stale}  # read before the data they describe
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.id.in_(list(versions)))))
    # The plugins read these communities' rows to evaluate them, for this block only; the cohort audits the
    # rows it shows.
    readers = frozenset({enrolment.tenant_id for enrolment in enrolments} | set(tenancy.current().reader_tenants))
    with tenancy.scope(reader_tenants=readers), memo.scope():
        # The columns first: a plugin that needs the same figures for its requirement finds them memoised.
        columns = plugin_columns(programme, enrolments)
        fresh = {enrolment.id: Evaluation(None, None, {column.key: column.values.get(enrolment.id)
                                                       for column in columns}) for enrolment in enrolments}
        for stage in stages:
            in_stage = [enrolment for enrolment in enrolments if enrolment.current_stage_id == stage.id]
            if in_stage:
                for enrolment_id, pairs in requirements_for(stage, in_stage).items():
                    fresh[enrolment_id].met = sum(1 for _, outcome in pairs if outcome.met)
                    fresh[enrolment_id].total = len(pairs)
                    fresh[enrolment_id].outcomes = pairs
    for enrolment in enrolments:
        if enrolment.current_stage_id is not None and fresh[enrolment.id].met is None:
            fresh[enrolment.id].met = fresh[enrolment.id].total = 0  # a stage the programme no longer lists
    until = _until(columns, fresh)
    context = tenancy.current()
    # Kept by a context that may write the row (its community, its organisation); staff reading a community
    # through another role's page only read it.
    writable = {enrolment.id for enrolment in enrolments if context.system or enrolment.tenant_id == context.tenant_id
                or enrolment.organisation_id == context.organisation_id}
    _write_back({key: value for key, value in fresh.items() if key in writable}, versions, until)
    return result | fresh


def _until(columns, enrolment_ids) -> dict[int, datetime]:
    """{enrolment id: the first moment one of its values may change with the clock}: what a column says,
    and the end of the day at the latest (rules that count days compare dates with today's, UTC)."""
    tomorrow = datetime.combine(today() + timedelta(days=1), time.min, tzinfo=timezone.utc)
    found: dict[int, datetime] = {enrolment_id: tomorrow for enrolment_id in enrolment_ids}
    for column in columns:
        for enrolment_id, moment in column.until.items():
            if moment is not None and enrolment_id in found and as_utc(moment) < found[enrolment_id]:
                found[enrolment_id] = moment
    return found


_TABLE = CohortStanding.__table__
# Conditional on the version read before the evaluation (a write since moved it: the row stays out of date),
# and on the row not being written by another request at this moment (PostgreSQL: SKIP LOCKED), so that
# people opening the same page together do not queue to keep the same evaluation.
_WRITE_BACK = (
    update(_TABLE)
    .where(_TABLE.c.enrolment_id == bindparam("row"), _TABLE.c.version == bindparam("seen"),
           _TABLE.c.evaluated_version != bindparam("seen"),
           _TABLE.c.enrolment_id.in_(select(_TABLE.c.enrolment_id).where(_TABLE.c.enrolment_id == bindparam("row"))
                                     .with_for_update(skip_locked=True).scalar_subquery()))
    .values(met=bindparam("met"), total=bindparam("total"), columns=bindparam("kept"), outcomes=bindparam("outcomes"),
            evaluated_version=bindparam("seen"), evaluated_until=bindparam("until"))
)


def _write_back(fresh: dict[int, Evaluation], versions: dict[int, int], until: dict[int, datetime]) -> None:
    """One statement for all the rows; a row whose version moved meanwhile keeps what it had."""
    parameters = []
    for enrolment_id, evaluation in fresh.items():
        try:
            values = {key: to_json(value) for key, value in evaluation.values.items()}
            outcomes = [{"key": requirement.key, "label": to_json(requirement.label), "met": bool(outcome.met),
                         "reason": to_json(outcome.reason)} for requirement, outcome in evaluation.outcomes]
        except NotKept:
            continue
        parameters.append({"row": enrolment_id, "seen": versions[enrolment_id], "met": evaluation.met,
                           "total": evaluation.total, "kept": values, "outcomes": outcomes,
                           "until": until.get(enrolment_id)})
    if parameters:
        # A Core statement on the connection: the ORM's walls and listeners have nothing to add to it.
        db.session.connection().execute(_WRITE_BACK, parameters)


def evaluate_out_of_date(batch: int = 500) -> int:
    """Evaluate every row whose evaluation is out of date, a batch at a time, each batch committed; how many.

    In the system's scope (a command, the scale generator): pages evaluate the rows they show anyway,
    but the first sort by an evaluated column after a migration or a change to what a programme asks
    would otherwise evaluate the whole programme in one request.
    """
    done = 0
    with tenancy.system_scope():
        stale = out_of_date(now())
        for programme in db.session.scalars(select(Programme).order_by(Programme.id)).all():
            stages = list(db.session.scalars(select(Stage).where(Stage.programme_id == programme.id)
                                             .order_by(Stage.position)))
            ids = list(db.session.scalars(select(CohortStanding.enrolment_id).where(
                CohortStanding.programme_id == programme.id, stale).order_by(CohortStanding.enrolment_id)))
            for start in range(0, len(ids), batch):
                rows = db.session.scalars(select(CohortStanding).where(
                    CohortStanding.enrolment_id.in_(ids[start:start + batch]))).all()
                evaluations(programme, stages, rows, with_outcomes=False)
                db.session.commit()
                done += len(rows)
    return done
