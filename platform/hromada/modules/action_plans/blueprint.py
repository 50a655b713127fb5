from flask import Blueprint

from hromada.authz import requires
from hromada.modules.action_plans import controllers

bp = Blueprint("action_plans", __name__, template_folder="templates")

PLAN = "/communities/<int:community_id>/plans/<int:plan_id>"
# The plan's page, for plugins to link to: url_for(PLAN_PAGE, community_id=…, plan_id=…).
PLAN_PAGE = "action_plans.plan"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


bp.add_url_rule(PLAN, endpoint="plan", **_rule("action_plans.read", controllers.plan))
bp.add_url_rule(PLAN + "/milestones/new", endpoint="new_milestone",
                **_rule("action_plans.edit", controllers.edit_milestone, ("GET", "POST")))
bp.add_url_rule(PLAN + "/milestones/<int:milestone_id>", endpoint="milestone",
                **_rule("action_plans.edit", controllers.edit_milestone, ("GET", "POST")))
bp.add_url_rule(PLAN + "/milestones/<int:milestone_id>/actions/new", endpoint="new_action",
                **_rule("action_plans.edit", controllers.new_action, ("GET", "POST")))
bp.add_url_rule(PLAN + "/actions/<int:action_id>", endpoint="action",
                **_rule("action_plans.edit", controllers.edit_action, ("GET", "POST")))
