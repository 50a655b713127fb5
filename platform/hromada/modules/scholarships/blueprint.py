from flask import Blueprint

from hromada.authz import requires
from hromada.modules.scholarships.controllers import applying, calls

bp = Blueprint("scholarships", __name__, template_folder="templates")

CALLS = "/organisations/<int:organisation_id>/programmes/<int:programme_id>/scholarships"
CALL = CALLS + "/<int:call_id>"
COMMUNITY = "/communities/<int:community_id>/scholarships"


def operators(view):
    return requires("scholarships.manage", organisation="organisation_id")(view)


def coordinators(view):
    return requires("scholarships.apply", community="community_id")(view)


bp.add_url_rule(CALLS, view_func=operators(calls.index))
bp.add_url_rule(CALLS + "/new", view_func=operators(calls.new), methods=["GET", "POST"])
bp.add_url_rule(CALL, view_func=operators(calls.show))
bp.add_url_rule(CALL + "/edit", view_func=operators(calls.edit), methods=["GET", "POST"])
bp.add_url_rule(CALL + "/questions", view_func=operators(calls.add_question), methods=["POST"])
bp.add_url_rule(CALL + "/questions/<int:question_id>", view_func=operators(calls.edit_question),
                methods=["GET", "POST"])
bp.add_url_rule(CALL + "/questions/<int:question_id>/move", view_func=operators(calls.move_question),
                methods=["POST"])
bp.add_url_rule(CALL + "/questions/<int:question_id>/remove", view_func=operators(calls.remove_question),
                methods=["POST"])
bp.add_url_rule(CALL + "/applications/<int:scholarship_application_id>", view_func=operators(calls.application))

bp.add_url_rule(COMMUNITY, endpoint="community_calls", view_func=coordinators(applying.index))
bp.add_url_rule(COMMUNITY + "/<int:call_id>", view_func=coordinators(applying.apply), methods=["GET", "POST"])
bp.add_url_rule(COMMUNITY + "/<int:call_id>/withdraw", view_func=coordinators(applying.withdraw), methods=["POST"])
