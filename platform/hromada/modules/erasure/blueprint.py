from flask import Blueprint

from hromada.authz import public, requires
from hromada.modules.erasure import controllers
from hromada.modules.factors.recent import requires_recent_factor

bp = Blueprint("erasure", __name__, template_folder="templates")

COMMUNITY = "/communities/<int:community_id>/erase"


def _rule(action: str, view, methods=("GET",)):
    # Erasing a community is never done on a password alone: a second factor confirmed in the last 10 minutes.
    return {"view_func": requires(action, community="community_id")(requires_recent_factor(view)),
            "methods": list(methods)}


bp.add_url_rule(COMMUNITY, endpoint="index", **_rule("erasure.view", controllers.index))
bp.add_url_rule(COMMUNITY + "/ask", endpoint="ask", **_rule("erasure.ask", controllers.ask, ("POST",)))
bp.add_url_rule(COMMUNITY + "/confirm", endpoint="confirm", **_rule("erasure.confirm", controllers.confirm, ("POST",)))
bp.add_url_rule(COMMUNITY + "/cancel", endpoint="cancel", **_rule("erasure.cancel", controllers.cancel, ("POST",)))
# The certificate's link works without signing in: the accounts of an erased community are gone too.
bp.add_url_rule("/erase-certificates/<token>", endpoint="certificate", view_func=public(controllers.certificate))
bp.add_url_rule("/erase-certificates/<token>/certificate.json", endpoint="certificate_json",
                view_func=public(controllers.certificate_json))
