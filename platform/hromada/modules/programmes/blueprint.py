"""The routes of the programme pages; the pages themselves are in `controllers`."""

from flask import Blueprint

from hromada.authz import public, requires
from hromada.extensions import limiter
from hromada.modules.programmes.controllers import call_settings, calls, community, programme, review

bp = Blueprint("programmes", __name__, template_folder="templates")

MANAGE = "organisation.manage_programmes"
PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"


def operators(view):
    return requires(MANAGE, organisation="organisation_id")(view)


bp.add_url_rule("/organisations/<int:organisation_id>/programmes", view_func=operators(programme.index))
bp.add_url_rule("/organisations/<int:organisation_id>/programmes/new", view_func=operators(programme.new),
                methods=["GET", "POST"])
bp.add_url_rule(PROGRAMME, view_func=operators(programme.show))
bp.add_url_rule(f"{PROGRAMME}/edit", view_func=operators(programme.edit), methods=["GET", "POST"])
bp.add_url_rule(f"{PROGRAMME}/texts", view_func=operators(programme.texts), methods=["GET", "POST"])
bp.add_url_rule(f"{PROGRAMME}/publish", view_func=operators(programme.publish), methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/return-to-draft", view_func=operators(programme.return_to_draft), methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/stages", view_func=operators(programme.add_stage), methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/stages/<int:stage_id>", view_func=operators(programme.edit_stage),
                methods=["GET", "POST"])
bp.add_url_rule(f"{PROGRAMME}/stages/<int:stage_id>/move", view_func=operators(programme.move_stage),
                methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/stages/<int:stage_id>/close", view_func=operators(programme.close_stage),
                methods=["GET", "POST"])
bp.add_url_rule(f"{PROGRAMME}/call", view_func=operators(call_settings.call_settings), methods=["GET", "POST"])
bp.add_url_rule(f"{PROGRAMME}/questions", view_func=operators(call_settings.add_question), methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/questions/<int:question_id>", view_func=operators(call_settings.edit_question),
                methods=["GET", "POST"])
bp.add_url_rule(f"{PROGRAMME}/questions/<int:question_id>/move", view_func=operators(call_settings.move_question),
                methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/questions/<int:question_id>/remove",
                view_func=operators(call_settings.remove_question), methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/applications", view_func=operators(review.applications))
bp.add_url_rule(f"{PROGRAMME}/applications/<int:application_id>/admit", view_func=operators(review.admit),
                methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/applications/<int:application_id>/decline", view_func=operators(review.decline),
                methods=["POST"])

# Public: anyone may read an open call; signing up is limited per address like signing in.
bp.add_url_rule("/calls", view_func=public(calls.open_calls))
bp.add_url_rule("/programmes/<int:programme_id>", view_func=public(calls.public_programme))
sign_up = limiter.limit("20 per minute;100 per hour", methods=["POST"])(public(calls.call))
bp.add_url_rule("/calls/<int:programme_id>", view_func=sign_up, methods=["GET", "POST"])

# A community's coordinator applies for the community.
bp.add_url_rule(
    "/communities/<int:community_id>/applications",
    view_func=requires("community.apply", community="community_id")(community.community_applications),
)
bp.add_url_rule(
    "/communities/<int:community_id>/calls/<int:programme_id>",
    view_func=requires("community.apply", community="community_id")(community.community_apply),
    methods=["GET", "POST"],
)
