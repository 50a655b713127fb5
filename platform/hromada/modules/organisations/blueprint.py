from flask import Blueprint

from hromada.authz import requires
from hromada.modules.organisations import controllers

bp = Blueprint("organisations", __name__, template_folder="templates")
bp.add_url_rule(
    "/admin/organisations",
    view_func=requires("platform.administer")(controllers.admin_organisations),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/admin/organisations/<int:organisation_id>/operator-invitations",
    view_func=requires("platform.administer")(controllers.admin_invite_operator),
    methods=["POST"],
)
bp.add_url_rule("/admin/audit", view_func=requires("platform.read_audit")(controllers.platform_audit))
bp.add_url_rule(
    "/organisations/<int:organisation_id>/staff",
    view_func=requires("organisation.manage_staff", organisation="organisation_id")(controllers.staff),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/organisations/<int:organisation_id>/audit",
    view_func=requires("organisation.read_audit", organisation="organisation_id")(controllers.organisation_audit),
)
