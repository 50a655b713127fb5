"""The meeting's operational plan: a core action plan whose milestones are the adopted strategic goals."""

from __future__ import annotations

from flask_babel import gettext as _

from hromada.plugin_api import PlanRefused, add_milestone, create_plan, plans_progress
from hromada_accelerator.strategy.draft import adopted_version

OWNER = "accelerator.operational_plan"


def plan_for(meeting) -> int:
    """The meeting's plan, made the first time (with a milestone per adopted strategic goal); its id."""
    if meeting.plan_id is None:
        start_plan(meeting)
    return meeting.plan_id


def start_plan(meeting) -> list:
    """Make the meeting's plan with a milestone per adopted strategic goal; the milestones, in order."""
    plan = create_plan(meeting.tenant_id, OWNER, meeting.id, _("Operational plan"), programme_id=meeting.programme_id)
    strategy = adopted_version(meeting.tenant_id)
    milestones = []
    for goal in (strategy.content.get("goals", []) if strategy else []):
        try:
            milestones.append(add_milestone(plan, title=goal["title"][:200], due_on=_date(goal.get("target_on"))))
        except PlanRefused:
            continue  # two goals with one title: one milestone
    meeting.plan_id = plan.id
    return milestones


def _date(value):
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def progress_of(meetings) -> dict:
    """{meeting id: PlanProgress}, in two queries whatever the number of meetings."""
    by_plan = {meeting.plan_id: meeting.id for meeting in meetings if meeting.plan_id}
    return {by_plan[plan_id]: progress for plan_id, progress in plans_progress(list(by_plan)).items()}
