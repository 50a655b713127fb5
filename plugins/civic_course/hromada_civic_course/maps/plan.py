"""A change map's action plan: the core's component, made with the map and read for its progress."""

from __future__ import annotations

from textwrap import shorten

from flask_babel import gettext as _

from hromada.plugin_api import ActionPlan, create_plan, db, plans_progress

OWNER = "civic_course.change_map"
TITLE_LENGTH = 200  # the core's action plan title


def plan_for(change_map) -> int:
    """The map's plan, made the first time; its id.

    The members' alone while the map is a draft (the plan page would show it to every staff member of
    the programme, operators included); `share_plan` opens it to the programme once the map is adopted.
    """
    if change_map.plan_id is None:
        plan = create_plan(change_map.tenant_id, OWNER, change_map.id, _("Action plan of the change map"))
        change_map.plan_id = plan.id
    return change_map.plan_id


def share_plan(change_map) -> None:
    """An adopted map's plan is read by the staff of the map's programme, as the map is, under the adopted goal:
    an operator choosing the milestone that releases a scholarship's tranche tells one map's plan from another."""
    if change_map.plan_id is not None:
        plan = db.session.get(ActionPlan, change_map.plan_id)
        plan.programme_id = change_map.programme_id
        plan.title = shorten(_("Action plan: %(goal)s", goal=" ".join(change_map.goal.split())), TITLE_LENGTH,
                             placeholder="…")


def progress_of(maps) -> dict:
    """{map id: PlanProgress}, in two queries whatever the number of maps and actions."""
    by_plan = {change_map.plan_id: change_map.id for change_map in maps if change_map.plan_id}
    return {by_plan[plan_id]: progress for plan_id, progress in plans_progress(list(by_plan)).items()}
