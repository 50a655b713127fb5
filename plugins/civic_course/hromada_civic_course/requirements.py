"""What the civic course asks of a community before it moves on: its change maps, a strategic session; cohort columns.

A map counts when the community adopted it by a decision shared with the stage's
programme and its action plan has at least one action (`versions.counted_maps`).
A strategic session counts when it was held (today or before) in the stage's programme,
and only where the stage asks for one (off by default: not every community is ready).
A fixed number of queries, whatever the number of communities.
"""

from __future__ import annotations

from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.plugin_api import CohortColumn, Outcome, Requirement, Stage, StageSetting, db
from hromada.plugin_api import lazy_gettext as _l
from hromada.plugin_api import stage_setting, utc_today
from hromada_civic_course.maps.versions import counted_maps
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


def cohort_columns(programme, enrolments) -> list[CohortColumn]:
    values, sessions = {}, {}
    if enrolments:
        stages = {stage.id: stage for stage in db.session.scalars(select(Stage).where(
            Stage.programme_id == programme.id, Stage.stage_type == STAGE_TYPE))}
        counts = counted_maps([enrolment.tenant_id for enrolment in enrolments], programme.id)
        for enrolment in enrolments:
            stage = stages.get(enrolment.current_stage_id)
            values[enrolment.id] = (f"{counts.get(enrolment.tenant_id, 0)} / {maps_required(stage)}"
                                    if stage is not None else "")
        held = sessions_held([enrolment.tenant_id for enrolment in enrolments], programme.id)
        sessions = {enrolment.id: held.get(enrolment.tenant_id, 0) for enrolment in enrolments}
    return [CohortColumn("civic_course.change_maps", _l("Change maps made / required"), values),
            CohortColumn("civic_course.sessions", _l("Strategic sessions held"), sessions, kind="number")]
