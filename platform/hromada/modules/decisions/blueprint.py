from flask import Blueprint

from hromada.authz import requires
from hromada.modules.decisions import controllers

bp = Blueprint("decisions", __name__, template_folder="templates")

COMMUNITY = "/communities/<int:community_id>/decisions"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


bp.add_url_rule(COMMUNITY, **_rule("decisions.read", controllers.index))
bp.add_url_rule(COMMUNITY + "/new", endpoint="new",
                **_rule("decisions.take_part", controllers.new, ("GET", "POST")))
bp.add_url_rule(COMMUNITY + "/<int:proposal_id>", endpoint="proposal",
                **_rule("decisions.read", controllers.proposal))
bp.add_url_rule(COMMUNITY + "/<int:proposal_id>/position", endpoint="take_position",
                **_rule("decisions.take_part", controllers.take_position, ("POST",)))
