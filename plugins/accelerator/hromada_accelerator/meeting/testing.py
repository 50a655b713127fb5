"""Test helpers of the coordination meeting: a meeting with its plan, and the isolation matrix's ids."""

from __future__ import annotations

from datetime import date

from hromada.plugin_api import Money, db, system_scope, tenancy_scope
from hromada_accelerator.meeting.models import CoordinationMeeting, PlanStatus
from hromada_accelerator.meeting.plan import plan_for


def make_meeting(community_id: int, programme, *, marker: str = "", status: str = PlanStatus.DRAFT.value) -> dict:
    with system_scope(), tenancy_scope(tenant_id=community_id):
        meeting = CoordinationMeeting(
            tenant_id=community_id, organisation_id=programme.organisation_id, programme_id=programme.id,
            held_on=date(2027, 3, 14), place=f"Library hall {marker}".strip(), participants=12,
            requested=Money(1_250_000, "UAH"), report=f"We agreed the plan {marker}".strip(), plan_status=status)
        db.session.add(meeting)
        db.session.flush()
        plan_for(meeting)
        db.session.commit()
        return {"meeting_id": meeting.id, "plan_id": meeting.plan_id}


def matrix_arguments(world) -> dict:
    """Only the community's URL names a meeting; its plan's id is the action plans' own matrix argument."""
    make_meeting(world.b.communities[0].id, world.b.programme, marker="secret-b1")
    make_meeting(world.a.communities[1].id, world.a.programme, marker="secret-a2")
    return {"foreign": {}, "unreachable": {}}
