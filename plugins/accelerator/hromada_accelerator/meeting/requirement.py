"""The operational plan in the programme: the stage's requirement, the cohort's column, the progress block."""

from __future__ import annotations

from sqlalchemy import select

from hromada.plugin_api import Outcome, ProgressSection, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.meeting.models import CoordinationMeeting, PlanStatus
from hromada_accelerator.meeting.plan import progress_of

REASONS = {
    None: _l("no coordination meeting yet"),
    PlanStatus.DRAFT.value: _l("operational plan not yet sent for approval"),
    PlanStatus.SUBMITTED.value: _l("operational plan waiting for the operator's approval"),
    PlanStatus.RETURNED.value: _l("operational plan returned to the community"),
}


def _meetings(programme_id: int, tenant_ids) -> dict[int, CoordinationMeeting]:
    tenant_ids = list(tenant_ids)
    if not tenant_ids:
        return {}  # the cohort asks for its columns' names with no community
    return {meeting.tenant_id: meeting for meeting in db.session.scalars(
        select(CoordinationMeeting).where(CoordinationMeeting.programme_id == programme_id,
                                          CoordinationMeeting.tenant_id.in_(tenant_ids)))}


def evaluate_plan(stage, enrolments) -> dict[int, Outcome]:
    meetings = _meetings(stage.programme_id, [enrolment.tenant_id for enrolment in enrolments])
    outcomes = {}
    for enrolment in enrolments:
        meeting = meetings.get(enrolment.tenant_id)
        status = meeting.plan_status if meeting else None
        outcomes[enrolment.id] = Outcome(True, "") if status == PlanStatus.APPROVED.value else Outcome(
            False, REASONS[status])
    return outcomes


def plan_column(programme, enrolments) -> dict[int, str]:
    """{enrolment id: "done / total"} of the operational plan, in three queries."""
    meetings = _meetings(programme.id, [enrolment.tenant_id for enrolment in enrolments])
    progress = progress_of(meetings.values())
    values = {}
    for enrolment in enrolments:
        meeting = meetings.get(enrolment.tenant_id)
        found = progress.get(meeting.id) if meeting else None
        values[enrolment.id] = f"{found.done} / {found.total}" if found and found.total else ""
    return values


def meeting_section(enrolment) -> ProgressSection:
    meeting = _meetings(enrolment.programme_id, [enrolment.tenant_id]).get(enrolment.tenant_id)
    return ProgressSection("accelerator.meeting", _l("Coordination meeting and operational plan"),
                           "accelerator_meeting/_progress.html",
                           {"meeting": meeting, "progress": progress_of([meeting]).get(meeting.id) if meeting else None,
                            "community_id": enrolment.tenant_id}, order=26)
