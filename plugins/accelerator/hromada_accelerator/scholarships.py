"""What the accelerator tells scholarship calls: the operational plan as an artefact an application links to,
and who may apply to a call of an accelerator stage (strategic goals adopted, the operational plan approved)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from hromada.plugin_api import ArtefactKind, EligibilityCondition, db, hookimpl
from hromada.plugin_api import format_day
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.meeting.models import CoordinationMeeting, PlanStatus
from hromada_accelerator.meeting.requirement import evaluate_plan
from hromada_accelerator.requirements import STAGE_TYPE, evaluate_strategy

PLAN_STATES = {
    PlanStatus.DRAFT.value: _l("draft"),
    PlanStatus.SUBMITTED.value: _l("waiting for approval"),
    PlanStatus.APPROVED.value: _l("approved"),
    PlanStatus.RETURNED.value: _l("returned"),
}


def plan_options(community_id: int) -> list[tuple[int, str]]:
    """The community's operational plans (one per coordination meeting), newest first."""
    rows = db.session.execute(
        select(CoordinationMeeting.plan_id, CoordinationMeeting.held_on, CoordinationMeeting.plan_status)
        .where(CoordinationMeeting.tenant_id == community_id, CoordinationMeeting.plan_id.is_not(None))
        .order_by(CoordinationMeeting.held_on.desc())
    ).all()
    return [(plan_id, str(_l("Operational plan of the meeting on %(date)s (%(state)s)",
                             date=format_day(held_on), state=PLAN_STATES.get(status, status))))
            for plan_id, held_on, status in rows]


@hookimpl
def hromada_artefact_kinds():
    return [ArtefactKind("accelerator.operational_plan", _l("Operational plan"), plan_options)]


@hookimpl
def hromada_scholarship_eligibility(call, stage, community_id):
    if stage.stage_type != STAGE_TYPE:
        return []
    # The stage's own requirements, asked for this one community (they answer per enrolment).
    one = [SimpleNamespace(id=community_id, tenant_id=community_id, programme_id=stage.programme_id)]
    strategy = evaluate_strategy(stage, one)[community_id]
    plan = evaluate_plan(stage, one)[community_id]
    return [
        EligibilityCondition("accelerator.strategy", _l("Strategic goals adopted"), strategy.met,
                             _l("Adopted, with a vision and a mission.") if strategy.met else strategy.reason),
        EligibilityCondition("accelerator.operational_plan", _l("Operational plan approved"), plan.met,
                             _l("Approved by the programme.") if plan.met else plan.reason),
    ]
