from flask import Blueprint

from hromada.authz import requires
from hromada.modules.progress import controllers, supported

bp = Blueprint("progress", __name__, template_folder="templates")
bp.add_url_rule(
    "/communities/<int:community_id>/programmes/<int:programme_id>/progress",
    view_func=requires("community.view", community="community_id")(controllers.community_progress),
)

bp.add_url_rule("/staff/communities", view_func=requires("staff.list_communities")(supported.staff_communities))

PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"
ENROLMENT = PROGRAMME + "/enrolments/<int:enrolment_id>"

bp.add_url_rule(
    PROGRAMME + "/cohort",
    view_func=requires("progress.view_cohort", organisation="organisation_id")(controllers.cohort),
)
bp.add_url_rule(
    PROGRAMME + "/cohort.csv",
    view_func=requires("progress.view_cohort", organisation="organisation_id")(controllers.cohort_export),
)
bp.add_url_rule(
    ENROLMENT + "/advance",
    view_func=requires("progress.move_enrolments", organisation="organisation_id")(controllers.advance_enrolment),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    ENROLMENT + "/withdraw",
    view_func=requires("progress.move_enrolments", organisation="organisation_id")(controllers.withdraw_enrolment),
    methods=["POST"],
)
bp.add_url_rule(
    ENROLMENT + "/staff",
    view_func=requires("progress.assign_staff", organisation="organisation_id")(controllers.staff),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    ENROLMENT + "/staff/remove",
    view_func=requires("progress.assign_staff", organisation="organisation_id")(controllers.unassign_staff),
    methods=["POST"],
)
