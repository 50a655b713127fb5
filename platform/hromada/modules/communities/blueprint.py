from flask import Blueprint

from hromada.authz import requires
from hromada.modules.communities import controllers

bp = Blueprint("communities", __name__, template_folder="templates")
bp.add_url_rule("/communities", view_func=requires("signed_in")(controllers.my_communities))
bp.add_url_rule(
    "/communities/<int:community_id>",
    view_func=requires("community.view", community="community_id")(controllers.overview),
)
bp.add_url_rule(
    "/communities/<int:community_id>/members",
    view_func=requires("community.view_members", community="community_id")(controllers.members),
)
bp.add_url_rule(
    "/communities/<int:community_id>/invitations",
    view_func=requires("community.invite_members", community="community_id")(controllers.invite_member),
    methods=["POST"],
)
