"""The coordination meeting in the demo: Green Quarter Initiative met, got its budget, and works its approved plan.

Some actions are done, one is overdue. Fictional text written for the demo; dates relative to today.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import ActionStatus, Money, PlanRefused, Programme, add_action, db, tenancy_scope, utc_today
from hromada_accelerator.meeting.models import CoordinationMeeting, PlanStatus
from hromada_accelerator.meeting.plan import start_plan
from hromada_accelerator.visibility import accelerator_programme

# (milestone position, action, owner, role, days from today it is due, status, result)
ACTIONS = (
    (0, "Ask the housing office for permission", "zhuravel", "coordinator", -20, ActionStatus.DONE,
     "Permission granted in writing"),
    (0, "Gather three quotes for the raised beds", "kalyna", "treasurer", -5, ActionStatus.IN_PROGRESS, ""),
    (0, "Planting day with the neighbours", "chapla", "events", 25, ActionStatus.PLANNED, ""),
    (1, "Invite one person from each block", "chapla", "outreach", 40, ActionStatus.PLANNED, ""),
    (1, "First council meeting", "zhuravel", "coordinator", 70, ActionStatus.PLANNED, ""),
    (2, "Read last year's district courtyard budget", "kalyna", "research", -30, ActionStatus.DONE,
     "Summary shared at the meeting"),
)


def seed_meeting(communities: dict, people: dict) -> None:
    community = communities.get("Green Quarter Initiative")
    programme_id = accelerator_programme(community.id) if community else None
    if programme_id is None or db.session.scalar(
            select(CoordinationMeeting.id).where(CoordinationMeeting.tenant_id == community.id)):
        return
    programme = db.session.get(Programme, programme_id)
    with tenancy_scope(tenant_id=community.id):
        meeting = CoordinationMeeting(
            tenant_id=community.id, organisation_id=programme.organisation_id, programme_id=programme_id,
            held_on=utc_today() - timedelta(days=21), place="Reading room of the district library",
            facilitator_id=people["taras-facilitator"].id, participants=11,
            requested=Money(1_850_000, "UAH"), approved=Money(1_500_000, "UAH"),
            budget_decided_by_id=people["olena-operator"].id,
            report="We agreed the plan for the year and who looks after what; the budget covers the venue, "
                   "materials for the raised beds and printing.",
            roles="Zhuravel coordinates; Kalyna keeps the money and the quotes; Chapla invites the neighbours.",
            plan_status=PlanStatus.APPROVED.value)
        db.session.add(meeting)
        db.session.flush()
        milestones = start_plan(meeting)
        for position, title, handle, role, due_in, status, result in ACTIONS:
            if position >= len(milestones):
                continue
            try:
                add_action(milestones[position], title=title, owner_id=people[handle].id, role=role,
                           due_on=utc_today() + timedelta(days=due_in), status=status, result=result)
            except PlanRefused:
                continue
    db.session.flush()
