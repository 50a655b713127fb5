from flask import Blueprint

from hromada.authz import public, requires
from hromada.extensions import limiter
from hromada.modules.factors.recent import requires_recent_factor
from hromada.modules.recovery import controllers

bp = Blueprint("recovery", __name__, template_folder="templates")

bp.add_url_rule(
    "/organisations/<int:organisation_id>/staff/<int:user_id>/reset-link",
    view_func=requires("recovery.issue_staff", organisation="organisation_id")(
        requires_recent_factor(controllers.issue_for_staff)),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/communities/<int:community_id>/members/<int:user_id>/reset-link",
    view_func=requires("recovery.issue_members", community="community_id")(
        requires_recent_factor(controllers.issue_for_member)),
    methods=["GET", "POST"],
)
# The token is a secret of 256 bits: the limit is against someone hammering the page, not guessing.
bp.add_url_rule("/reset/<token>", view_func=limiter.limit("30 per minute", methods=["POST"])(
    public(controllers.reset)), methods=["GET", "POST"])
bp.add_url_rule("/account/delete", view_func=requires("account.manage")(controllers.delete_account),
                methods=["GET", "POST"])
