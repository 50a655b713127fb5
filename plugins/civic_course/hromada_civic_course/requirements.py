"""What the civic course asks of a community before it moves on: its change maps, a strategic session; cohort columns.

A map counts when the community adopted it by a decision shared with the stage's
programme and its action plan has at least one action (`versions.counted_maps`).
A strategic session counts when it was held (today or before) in the stage's programme,
and only where the stage asks for one (off by default: not every community is ready).
A fixed number of queries, whatever the number of communities.
"""

from __future__ import annotations

from sqlalchemy import case, distinct, func, select
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.plugin_api import Action, ActionStatus, CohortColumn, Milestone, Outcome, Requirement, Stage, StageSetting, db
from hromada.plugin_api import lazy_gettext as _l
from hromada.plugin_api import stage_setting, utc_today
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion
from hromada_civic_course.maps.versions import adopted_clause, counted_maps
from hromada_civic_course.sessions.models import StrategicSession
from hromada_civic_course.visibility import STAGE_TYPE

MAPS_REQUIRED = "change_maps_required"
SESSION_REQUIRED = "strategic_session_required"
DEFAULT = 1
WHOLE_NUMBER = _l("Enter a whole number.")


def settings_fields(stage_type) -> list[StageSetting]:
    if stage_type.key != STAGE_TYPE:
        return []
    return [StageSetting(MAPS_REQUIRED, IntegerField(
        _l("Change maps each community makes"), default=DEFAULT,
        description=_l("Adopted by the community's decision, each with at least one action in its plan."),
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=10, message=_l("Between 0 and 10."))],
        invalid_value_message=WHOLE_NUMBER)),
        StageSetting(SESSION_REQUIRED, BooleanField(
            _l("A community holds a strategic session on an adopted change map before it moves on"), default=False))]


def maps_required(stage) -> int:
    try:
        return max(int(stage_setting(stage, MAPS_REQUIRED) or 0), 0)
    except (TypeError, ValueError):
        return DEFAULT  # a setting that is not a number reads as the form's default


def evaluate_maps(stage, enrolments) -> dict[int, Outcome]:
    needed = maps_required(stage)
    counts = counted_maps([enrolment.tenant_id for enrolment in enrolments], stage.programme_id)
    outcomes = {}
    for enrolment in enrolments:
        made = counts.get(enrolment.tenant_id, 0)
        outcomes[enrolment.id] = Outcome(True, "") if made >= needed else Outcome(False, _l(
            "%(made)s of %(needed)s change maps adopted with an action plan", made=made, needed=needed))
    return outcomes


def sessions_held(tenant_ids, programme_id: int) -> dict[int, int]:
    """{community id: strategic sessions it held in the programme}, in one query."""
    return dict(db.session.execute(
        select(StrategicSession.tenant_id, func.count(StrategicSession.id))
        .where(StrategicSession.tenant_id.in_(list(tenant_ids)), StrategicSession.programme_id == programme_id,
               StrategicSession.held_on <= utc_today())
        .group_by(StrategicSession.tenant_id)).all())


def evaluate_session(stage, enrolments) -> dict[int, Outcome]:
    held = sessions_held([enrolment.tenant_id for enrolment in enrolments], stage.programme_id)
    return {enrolment.id: Outcome(True, "") if held.get(enrolment.tenant_id) else
            Outcome(False, _l("no strategic session held yet")) for enrolment in enrolments}


def requirements_for(stage) -> list[Requirement]:
    if stage.stage_type != STAGE_TYPE:
        return []
    found = [Requirement("civic_course.change_maps", _l("Change maps adopted with an action plan"), evaluate_maps)]
    if stage_setting(stage, SESSION_REQUIRED):
        found.append(Requirement("civic_course.strategic_session", _l("A strategic session held"), evaluate_session))
    return found


def adopted_plans(tenant_ids, programme_id: int) -> dict[int, tuple[int, int, int, int]]:
    """{community id: (maps counted, actions done, actions that count, actions overdue)} of the maps adopted by a
    decision shared with the programme, in one query: the cohort's columns.

    As `versions.counted_maps` and the core's `plans_progress` count them: dropped actions do not count, a map
    counts when its plan has an action that does, an action is overdue once its date has passed while still open.
    """
    counting = Action.status != ActionStatus.DROPPED
    overdue = Action.due_on.is_not(None) & (Action.due_on < utc_today()) & Action.status.in_(
        (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS))
    rows = db.session.execute(
        select(ChangeMap.tenant_id, func.count(distinct(ChangeMap.id)),
               func.sum(case((Action.status == ActionStatus.DONE, 1), else_=0)), func.count(Action.id),
               func.sum(case((overdue, 1), else_=0)))
        .join(Milestone, Milestone.plan_id == ChangeMap.plan_id)
        .join(Action, Action.milestone_id == Milestone.id)
        .where(ChangeMap.tenant_id.in_(list(tenant_ids)), counting,
               ChangeMap.id.in_(select(ChangeMapVersion.map_id).where(adopted_clause([programme_id]))))
        .group_by(ChangeMap.tenant_id)).all()
    return {tenant_id: (int(maps), int(done or 0), int(total), int(late or 0))
            for tenant_id, maps, done, total, late in rows}


def cohort_columns(programme, enrolments) -> list[CohortColumn]:
    """Maps adopted against the stage's number, actions done / total and overdue actions on those maps, sessions
    held: three queries for the whole cohort."""
    values, actions, overdue, sessions = {}, {}, {}, {}
    if enrolments:
        stages = {stage.id: stage for stage in db.session.scalars(select(Stage).where(
            Stage.programme_id == programme.id, Stage.stage_type == STAGE_TYPE))}
        plans = adopted_plans([enrolment.tenant_id for enrolment in enrolments], programme.id)
        for enrolment in enrolments:
            stage = stages.get(enrolment.current_stage_id)
            maps, done, total, late = plans.get(enrolment.tenant_id, (0, 0, 0, 0))
            values[enrolment.id] = f"{maps} / {maps_required(stage)}" if stage is not None else ""
            actions[enrolment.id] = f"{done} / {total}" if total else ""
            overdue[enrolment.id] = late
        held = sessions_held([enrolment.tenant_id for enrolment in enrolments], programme.id)
        sessions = {enrolment.id: held.get(enrolment.tenant_id, 0) for enrolment in enrolments}
    return [CohortColumn("civic_course.change_maps", _l("Change maps made / required"), values),
            CohortColumn("civic_course.actions", _l("Actions done / total on adopted maps"), actions),
            CohortColumn("civic_course.overdue", _l("Overdue actions on adopted maps"), overdue, kind="number"),
            CohortColumn("civic_course.sessions", _l("Strategic sessions held"), sessions, kind="number")]
