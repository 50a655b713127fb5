"""A change map's action plan: the core's component, made with the map and read for its progress."""

from __future__ import annotations

from flask_babel import gettext as _

from hromada.plugin_api import create_plan, plans_progress

OWNER = "civic_course.change_map"


def plan_for(change_map) -> int:
    """The map's plan, made the first time (its programme's staff read it, as they read the map); its id."""
    if change_map.plan_id is None:
        plan = create_plan(change_map.tenant_id, OWNER, change_map.id, _("Action plan of the change map"),
                           programme_id=change_map.programme_id)
        change_map.plan_id = plan.id
    return change_map.plan_id


def progress_of(maps) -> dict:
    """{map id: PlanProgress}, in two queries whatever the number of maps and actions."""
    by_plan = {change_map.plan_id: change_map.id for change_map in maps if change_map.plan_id}
    return {by_plan[plan_id]: progress for plan_id, progress in plans_progress(list(by_plan)).items()}
