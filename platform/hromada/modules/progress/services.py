"""Moving communities through the stages of a programme, and reading where they stand.

`requirements_for` asks the plugins what a stage requires and how many
enrolments meet it, in a bounded number of queries; `advance` and `withdraw`
move an enrolment on, each exactly once: the move is an UPDATE conditional on
the stage the operator saw, so a stale form or a second click changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from flask import current_app
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.clock import as_utc, now
from hromada.contributions import CohortColumn, Outcome, Requirement
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import StaffMembership, StaffRole, User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.models import EnrolmentTransition, ProgressStatus, StageProgress, TransitionKind
from hromada.plugins import collect

NOT_EVALUATED = _l("Not evaluated.")


class TransitionRefused(Exception):
    """The transition may not happen; `message` tells the operator why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleTransition(TransitionRefused):
    """The enrolment is no longer in the stage the form was shown for: nothing was changed."""


# --- Requirements ----------------------------------------------------------


def stage_requirements(stage: Stage) -> list[Requirement]:
    return collect(current_app.extensions["hromada.plugins"], "hromada_stage_requirements", stage=stage)


def requirements_for(stage: Stage, enrolments: Iterable[Enrolment]) -> dict[int, list[tuple[Requirement, Outcome]]]:
    """{enrolment id: [(requirement, outcome)]} for enrolments in `stage`.

    The hook is called once for the stage and each requirement evaluated once
    for all the enrolments, so the cost does not grow with their number. The
    caller's tenancy context must let the plugins read these communities' data.
    """
    enrolments = list(enrolments)
    results: dict[int, list[tuple[Requirement, Outcome]]] = {enrolment.id: [] for enrolment in enrolments}
    if not enrolments:
        return results
    for requirement in stage_requirements(stage):
        outcomes = requirement.evaluate(stage, enrolments) or {}
        for enrolment in enrolments:
            results[enrolment.id].append((requirement, outcomes.get(enrolment.id) or Outcome(False, NOT_EVALUATED)))
    return results


def all_met(pairs: list[tuple[Requirement, Outcome]]) -> bool:
    return all(outcome.met for _, outcome in pairs)


def plugin_columns(programme: Programme, enrolments: list[Enrolment]) -> list[CohortColumn]:
    """The plugins' columns with their values for `enrolments` (with none: just the columns)."""
    return collect(current_app.extensions["hromada.plugins"], "hromada_cohort_columns",
                   programme=programme, enrolments=enrolments)


# --- Where enrolments stand --------------------------------------------------


@dataclass
class Standing:
    """Where one enrolment stands: the stage it is in (or left the programme from) and its status there."""

    enrolment: Enrolment
    stage: Stage | None
    status: ProgressStatus | None
    since: datetime | None  # when it entered `stage`, or when it started there once it is active
    rows: dict[int, StageProgress] = field(default_factory=dict)  # stage id -> its progress row

    @property
    def in_progress(self) -> bool:
        return self.enrolment.current_stage_id is not None

    def stage_status(self, stage: Stage) -> ProgressStatus | None:
        """Its status in any stage of the programme (None: not reached)."""
        if self.stage is not None and stage.id == self.stage.id:
            return self.status
        row = self.rows.get(stage.id)
        return row.status if row else None


def effective_status(status: ProgressStatus, admitted_at: datetime | None, enrolment: Enrolment) -> ProgressStatus:
    """An admitted community counts as active in its stage once it has done something since entering it."""
    if status == ProgressStatus.ADMITTED and enrolment.last_activity_at and admitted_at:
        if as_utc(enrolment.last_activity_at) >= as_utc(admitted_at):
            return ProgressStatus.ACTIVE
    return status


def progress_rows(enrolment_ids: Iterable[int]) -> dict[int, dict[int, StageProgress]]:
    """{enrolment id: {stage id: row}}, in one query."""
    ids = list(enrolment_ids)
    rows: dict[int, dict[int, StageProgress]] = {enrolment_id: {} for enrolment_id in ids}
    if ids:
        for row in db.session.scalars(select(StageProgress).where(StageProgress.enrolment_id.in_(ids))):
            rows.setdefault(row.enrolment_id, {})[row.stage_id] = row
    return rows


def standings(enrolments: Iterable[Enrolment], stages: Iterable[Stage]) -> dict[int, Standing]:
    """Where each enrolment stands, from its current stage and its progress rows (one query)."""
    enrolments = list(enrolments)
    stages_by_id = {stage.id: stage for stage in stages}
    rows = progress_rows(enrolment.id for enrolment in enrolments)
    result: dict[int, Standing] = {}
    for enrolment in enrolments:
        own = rows.get(enrolment.id, {})
        if enrolment.current_stage_id is not None:
            stage = stages_by_id.get(enrolment.current_stage_id)
            row = own.get(enrolment.current_stage_id)
            since = as_utc(row.admitted_at) if row else as_utc(enrolment.created_at)
            status = effective_status(row.status if row else ProgressStatus.ADMITTED, since, enrolment)
            if status == ProgressStatus.ACTIVE and row is not None and row.started_at is not None:
                since = as_utc(row.started_at)  # "active since" the day it started, not the day it was admitted
            result[enrolment.id] = Standing(enrolment, stage, status, since, own)
            continue
        # Out of the stages: withdrawn from one, or completed the last.
        withdrawn = [row for row in own.values() if row.status == ProgressStatus.WITHDRAWN]
        completed = [row for row in own.values() if row.status == ProgressStatus.COMPLETED]
        if withdrawn:
            row, status = withdrawn[0], ProgressStatus.WITHDRAWN
        elif completed:
            row = max(completed, key=lambda r: stages_by_id[r.stage_id].position if r.stage_id in stages_by_id else -1)
            status = ProgressStatus.COMPLETED
        else:
            result[enrolment.id] = Standing(enrolment, None, None, None, own)
            continue
        result[enrolment.id] = Standing(enrolment, stages_by_id.get(row.stage_id), status, as_utc(row.admitted_at), own)
    return result


def stall_reference(enrolment: Enrolment) -> datetime:
    """Since when a community has been quiet: its last activity, or its enrolment."""
    return as_utc(enrolment.last_activity_at or enrolment.created_at)


def is_stalled(enrolment: Enrolment, programme: Programme, at: datetime | None = None) -> bool:
    """In a stage, and no activity for the programme's `stall_days` days."""
    if enrolment.current_stage_id is None:
        return False
    cutoff = (at or now()) - timedelta(days=programme.stall_days or 0)
    return stall_reference(enrolment) < cutoff


def funnel(stages: list[Stage], standings_by_id: dict[int, Standing]) -> list[dict]:
    """For each stage: how many communities entered it and how many completed it."""
    result = []
    for stage in stages:
        entered = completed = withdrawn = 0
        for standing in standings_by_id.values():
            status = standing.stage_status(stage)
            if status is None:
                continue
            entered += 1
            completed += status == ProgressStatus.COMPLETED
            withdrawn += status == ProgressStatus.WITHDRAWN
        result.append({"stage": stage, "entered": entered, "completed": completed, "withdrawn": withdrawn})
    return result


# --- Transitions ---------------------------------------------------------------


def next_open_stage(stage: Stage) -> Stage | None:
    """The first stage after `stage` that is not closed; None after the last."""
    return db.session.scalars(
        select(Stage)
        .where(Stage.programme_id == stage.programme_id, Stage.position > stage.position, Stage.closed_at.is_(None))
        .order_by(Stage.position)
        .limit(1)
    ).first()


def _require_operator(actor: User, organisation_id: int) -> None:
    is_operator = db.session.scalar(
        select(
            exists().where(
                StaffMembership.user_id == actor.id,
                StaffMembership.organisation_id == organisation_id,
                StaffMembership.role == StaffRole.OPERATOR,
            )
        )
    )
    if not is_operator:
        raise TransitionRefused(_l("Only an operator of the organisation can move a community on."))


def _expected_stage(enrolment: Enrolment, expected_stage_id: int | None) -> int:
    expected = enrolment.current_stage_id if expected_stage_id is None else expected_stage_id
    if enrolment.current_stage_id is None or expected != enrolment.current_stage_id:
        raise StaleTransition(_l("The community has moved on since this page was shown; nothing was changed."))
    return expected


def _move(enrolment: Enrolment, expected_stage_id: int, new_stage_id: int | None) -> None:
    """Move the enrolment, unless another request moved it first (then nothing changes)."""
    result = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.current_stage_id == expected_stage_id)
        .values(current_stage_id=new_stage_id)
        .execution_options(synchronize_session=False, hromada_tenants=(enrolment.tenant_id,))
    )
    if result.rowcount != 1:
        raise StaleTransition(_l("The community has moved on since this page was shown; nothing was changed."))
    db.session.expire(enrolment, ["current_stage_id", "current_stage"])


def _shared(enrolment: Enrolment) -> dict:
    return {"tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id,
            "enrolment_id": enrolment.id}


def _progress_row(enrolment: Enrolment, stage_id: int) -> StageProgress:
    """The enrolment's row for a stage; made now if the enrolment was admitted to it without one."""
    row = db.session.scalars(
        select(StageProgress).where(StageProgress.enrolment_id == enrolment.id, StageProgress.stage_id == stage_id)
    ).first()
    if row is not None:
        return row
    admitted_at = as_utc(enrolment.created_at) or now()
    row = StageProgress(stage_id=stage_id, status=ProgressStatus.ADMITTED, admitted_at=admitted_at, **_shared(enrolment))
    db.session.add(row)
    _record_admission(enrolment, stage_id, admitted_at)
    return row


def _record_admission(enrolment: Enrolment, stage_id: int, admitted_at: datetime) -> None:
    """The admission (by the programmes module) left no history: record it as it happened."""
    has_history = db.session.scalar(
        select(exists().where(EnrolmentTransition.enrolment_id == enrolment.id))
    )
    if not has_history:
        db.session.add(EnrolmentTransition(to_stage_id=stage_id, kind=TransitionKind.ADMITTED, reason="",
                                           created_at=admitted_at, **_shared(enrolment)))


def advance(enrolment: Enrolment, actor: User, reason: str | None = None, override: bool = False,
            *, expected_stage_id: int | None = None) -> EnrolmentTransition:
    """Move the enrolment to the next open stage, or complete the programme after the last.

    Allowed when every requirement of the current stage is met; otherwise only
    with `override` and a written `reason` (audited as "enrolment_overridden").
    `expected_stage_id` is the stage the operator saw; if the enrolment is no
    longer there, `StaleTransition` is raised and nothing changes. Not committed.
    """
    _require_operator(actor, enrolment.organisation_id)
    from_stage_id = _expected_stage(enrolment, expected_stage_id)
    reason = (reason or "").strip()
    stage = db.session.get(Stage, from_stage_id)
    pairs = requirements_for(stage, [enrolment])[enrolment.id]
    overriding = not all_met(pairs)
    if overriding and not override:
        raise TransitionRefused(_l("Some requirements of this stage are still open."))
    if overriding and not reason:
        raise TransitionRefused(_l("Write why the community advances although requirements are open."))
    target = next_open_stage(stage)
    _move(enrolment, from_stage_id, target.id if target else None)

    when = now()
    row = _progress_row(enrolment, from_stage_id)
    row.status, row.completed_at = ProgressStatus.COMPLETED, when
    if target is not None:
        existing = db.session.scalars(
            select(StageProgress).where(StageProgress.enrolment_id == enrolment.id, StageProgress.stage_id == target.id)
        ).first()
        if existing is None:
            db.session.add(StageProgress(stage_id=target.id, status=ProgressStatus.ADMITTED, admitted_at=when,
                                         **_shared(enrolment)))
    if overriding:
        kind = TransitionKind.OVERRIDE
    else:
        kind = TransitionKind.ADVANCED if target is not None else TransitionKind.COMPLETED
    transition = EnrolmentTransition(from_stage_id=from_stage_id, to_stage_id=target.id if target else None,
                                     kind=kind, reason=reason, actor_id=actor.id, created_at=when,
                                     **_shared(enrolment))
    db.session.add(transition)
    action = {TransitionKind.OVERRIDE: "enrolment_overridden", TransitionKind.ADVANCED: "enrolment_advanced",
              TransitionKind.COMPLETED: "enrolment_completed"}[kind]
    record(action, actor=actor, organisation_id=enrolment.organisation_id, community_id=enrolment.tenant_id,
           enrolment_id=enrolment.id, from_stage_id=from_stage_id, to_stage_id=target.id if target else None,
           open_requirements=[requirement.key for requirement, outcome in pairs if not outcome.met])
    db.session.flush()
    return transition


def withdraw(enrolment: Enrolment, actor: User, reason: str, *,
             expected_stage_id: int | None = None) -> EnrolmentTransition:
    """Take the enrolment out of the programme, with a written reason. Not committed."""
    _require_operator(actor, enrolment.organisation_id)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_l("Write why the community leaves the programme."))
    from_stage_id = _expected_stage(enrolment, expected_stage_id)
    _move(enrolment, from_stage_id, None)

    when = now()
    row = _progress_row(enrolment, from_stage_id)
    row.status, row.withdrawn_at = ProgressStatus.WITHDRAWN, when
    transition = EnrolmentTransition(from_stage_id=from_stage_id, to_stage_id=None, kind=TransitionKind.WITHDRAWN,
                                     reason=reason, actor_id=actor.id, created_at=when, **_shared(enrolment))
    db.session.add(transition)
    record("enrolment_withdrawn", actor=actor, organisation_id=enrolment.organisation_id,
           community_id=enrolment.tenant_id, enrolment_id=enrolment.id, from_stage_id=from_stage_id)
    db.session.flush()
    return transition


def mark_started(tenant_id: int, when: datetime | None = None) -> int:
    """Mark the community active in the current stage of its enrolments, from `when`; return how many changed.

    Called by `record_activity` (through the `hromada_community_acted` hook) in
    the caller's context, so it touches only the enrolments that context may
    write: all of the community's when acting as the community, else those of
    the organisation acting for it. A stage keeps the start of its first
    activity: only a row still "admitted" changes, so a later activity, or one
    at the same moment, leaves the date alone. One query once the stages have started.
    """
    when = when or now()
    context = tenancy.current()
    query = (
        select(Enrolment, StageProgress.id)
        .outerjoin(StageProgress, and_(StageProgress.enrolment_id == Enrolment.id,
                                       StageProgress.stage_id == Enrolment.current_stage_id))
        .where(Enrolment.tenant_id == tenant_id, Enrolment.current_stage_id.is_not(None),
               or_(StageProgress.id.is_(None), StageProgress.status == ProgressStatus.ADMITTED))
        .order_by(Enrolment.id)
    )
    if not (context.system or context.tenant_id == tenant_id):
        if context.organisation_id is None:
            return 0
        query = query.where(Enrolment.organisation_id == context.organisation_id)
    changed = 0
    for enrolment, row_id in db.session.execute(query).all():
        if row_id is None and _add_started_row(enrolment, when):
            changed += 1
            continue
        # The row was there, or another request has just made it: start it unless it has started.
        changed += db.session.execute(
            update(StageProgress)
            .where(StageProgress.enrolment_id == enrolment.id, StageProgress.stage_id == enrolment.current_stage_id,
                   StageProgress.status == ProgressStatus.ADMITTED)
            .values(status=ProgressStatus.ACTIVE, started_at=when)
            .execution_options(synchronize_session=False, hromada_tenants=(enrolment.tenant_id,))
        ).rowcount
    return changed


def _add_started_row(enrolment: Enrolment, when: datetime) -> bool:
    """The progress row of the enrolment's current stage, started at `when`; False if another request made it."""
    admitted_at = as_utc(enrolment.created_at) or when
    row = StageProgress(stage_id=enrolment.current_stage_id, status=ProgressStatus.ACTIVE, admitted_at=admitted_at,
                        started_at=when, **_shared(enrolment))
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # the unique key (enrolment, stage): the other request's row stands
        return False
    _record_admission(enrolment, enrolment.current_stage_id, admitted_at)
    return True
