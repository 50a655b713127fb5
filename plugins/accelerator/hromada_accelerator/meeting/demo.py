"""The coordination meetings in the demo: Green Quarter Initiative met, got its budget, and works its approved
plan (some actions are done, one is overdue). The other accelerator communities of the demo's scholarship call
met too: two have their plan approved (so they may apply), Stone Bridge Youth Hub's waits for approval.
 Fictional text written for the demo; dates relative to today.
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

# (community, days ago, place, participants, requested and approved (minor units, UAH), report, roles, plan status,
#  the coordinator)
OTHERS = (
    ("Linden Court Neighbours", 30, "The common room of block 3", 9, 1_200_000, 1_200_000,
     "We agreed who runs the common room on which evening and how the help rota finds the neighbours who need it.",
     "Lypa coordinates and keeps the keys; Horikh runs the help rota.", PlanStatus.APPROVED, "lypa"),
    ("Amber Hill Allotments", 35, "The tool shed on the upper plots", 7, 900_000, 700_000,
     "We agreed the seed library's rules and the order in which the upper plots get water.",
     "Burshtyn coordinates and keeps the seed library.", PlanStatus.APPROVED, "burshtyn"),
    ("Stone Bridge Youth Hub", 5, "The hall of school 12", 14, 1_000_000, None,
     "Fourteen young people agreed the space's opening hours and who stands for the youth council.",
     "Kamin coordinates; Mist keeps the space's calendar.", PlanStatus.SUBMITTED, "kamin"),
)


def seed_meeting(communities: dict, people: dict) -> None:
    _seed_green_quarter(communities, people)
    for name, days_ago, place, participants, requested, approved, report, roles, status, coordinator in OTHERS:
        community = communities.get(name)
        programme_id = accelerator_programme(community.id) if community else None
        if programme_id is None or coordinator not in people or db.session.scalar(
                select(CoordinationMeeting.id).where(CoordinationMeeting.tenant_id == community.id)):
            continue
        programme = db.session.get(Programme, programme_id)
        with tenancy_scope(tenant_id=community.id):
            meeting = CoordinationMeeting(
                tenant_id=community.id, organisation_id=programme.organisation_id, programme_id=programme_id,
                held_on=utc_today() - timedelta(days=days_ago), place=place,
                facilitator_id=people["taras-facilitator"].id, participants=participants,
                requested=Money(requested, "UAH"), report=report, roles=roles, plan_status=status.value)
            if approved:  # the operator decided the meeting's budget
                meeting.approved, meeting.budget_decided_by_id = Money(approved, "UAH"), people["olena-operator"].id
            db.session.add(meeting)
            db.session.flush()
            milestones = start_plan(meeting)
            if milestones:  # the first action of the first goal, the coordinator's
                try:
                    add_action(milestones[0], title="Agree the first month's work", owner_id=people[coordinator].id,
                               role="coordinator", due_on=utc_today() + timedelta(days=14),
                               status=ActionStatus.PLANNED, result="")
                except PlanRefused:
                    pass
        db.session.flush()


def _seed_green_quarter(communities: dict, people: dict) -> None:
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
