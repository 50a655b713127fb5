from flask import Blueprint

from hromada.authz import requires
from hromada.modules.courses import controllers

bp = Blueprint("courses", __name__, template_folder="templates")

PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"
COURSE = PROGRAMME + "/courses/<int:course_id>"
GET_POST = ["GET", "POST"]


def manage(view):
    return requires("courses.manage", organisation="organisation_id")(view)


def mark(view):
    return requires("courses.mark_attendance", organisation="organisation_id")(view)


def community(action: str, view):
    return requires(action, community="community_id")(view)


# Operators (and facilitators, who see the courses and mark attendance).
bp.add_url_rule("/organisations/<int:organisation_id>/courses", view_func=mark(controllers.organisation_courses))
bp.add_url_rule(PROGRAMME + "/courses", view_func=mark(controllers.programme_courses))
bp.add_url_rule(PROGRAMME + "/courses/new", view_func=manage(controllers.new_course), methods=GET_POST)
bp.add_url_rule(
    PROGRAMME + "/stages/<int:stage_id>/courses/from-template",
    view_func=manage(controllers.from_template), methods=["POST"],
)
bp.add_url_rule(COURSE, view_func=mark(controllers.course))
bp.add_url_rule(COURSE + "/edit", view_func=manage(controllers.edit_course), methods=GET_POST)
bp.add_url_rule(COURSE + "/modules/new", view_func=manage(controllers.new_module), methods=GET_POST)
bp.add_url_rule(
    COURSE + "/modules/<int:course_module_id>/edit", view_func=manage(controllers.edit_module), methods=GET_POST
)
bp.add_url_rule(
    COURSE + "/modules/<int:course_module_id>/lessons/new", view_func=manage(controllers.new_lesson), methods=GET_POST
)
bp.add_url_rule(COURSE + "/lessons/<int:lesson_id>/edit", view_func=manage(controllers.edit_lesson), methods=GET_POST)
bp.add_url_rule(COURSE + "/sessions/new", view_func=manage(controllers.new_session), methods=GET_POST)
bp.add_url_rule(
    COURSE + "/sessions/<int:course_session_id>/edit", view_func=manage(controllers.edit_session), methods=GET_POST
)
bp.add_url_rule(
    COURSE + "/sessions/<int:course_session_id>/attendance", view_func=mark(controllers.attendance), methods=GET_POST
)

# Communities.
COMMUNITY = "/communities/<int:community_id>/courses"
bp.add_url_rule(COMMUNITY, view_func=community("community.view", controllers.community_courses))
bp.add_url_rule(COMMUNITY + "/<int:course_id>", view_func=community("community.view", controllers.community_course))
bp.add_url_rule(
    COMMUNITY + "/<int:course_id>/join", view_func=community("courses.participate", controllers.join_course),
    methods=["POST"],
)
bp.add_url_rule(
    COMMUNITY + "/<int:course_id>/lessons/<int:lesson_id>",
    view_func=community("community.view", controllers.lesson),
)
bp.add_url_rule(
    COMMUNITY + "/<int:course_id>/lessons/<int:lesson_id>/done",
    view_func=community("courses.participate", controllers.lesson_done), methods=["POST"],
)
