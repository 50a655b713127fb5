"""The routes of the course pages; the pages themselves are in `controllers`."""

from flask import Blueprint

from hromada.authz import requires
from hromada.modules.courses.controllers import attendance, building, community, programme

bp = Blueprint("courses", __name__, template_folder="templates")

PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"
COURSE = PROGRAMME + "/courses/<int:course_id>"
GET_POST = ["GET", "POST"]


def manage(view):
    return requires("courses.manage", organisation="organisation_id")(view)


def mark(view):
    return requires("courses.mark_attendance", organisation="organisation_id")(view)


def in_community(action: str, view):
    return requires(action, community="community_id")(view)


# Operators (and facilitators, who see the courses and mark attendance).
bp.add_url_rule("/organisations/<int:organisation_id>/courses", view_func=mark(programme.organisation_courses))
bp.add_url_rule(PROGRAMME + "/courses", view_func=mark(programme.programme_courses))
bp.add_url_rule(PROGRAMME + "/courses/new", view_func=manage(building.new_course), methods=GET_POST)
bp.add_url_rule(
    PROGRAMME + "/stages/<int:stage_id>/courses/from-template",
    view_func=manage(building.from_template), methods=["POST"],
)
bp.add_url_rule(COURSE, view_func=mark(programme.course))
bp.add_url_rule(COURSE + "/edit", view_func=manage(building.edit_course), methods=GET_POST)
bp.add_url_rule(COURSE + "/modules/new", view_func=manage(building.new_module), methods=GET_POST)
bp.add_url_rule(
    COURSE + "/modules/<int:course_module_id>/edit", view_func=manage(building.edit_module), methods=GET_POST
)
bp.add_url_rule(
    COURSE + "/modules/<int:course_module_id>/lessons/new", view_func=manage(building.new_lesson), methods=GET_POST
)
bp.add_url_rule(COURSE + "/lessons/<int:lesson_id>/edit", view_func=manage(building.edit_lesson), methods=GET_POST)
bp.add_url_rule(COURSE + "/sessions/new", view_func=manage(building.new_session), methods=GET_POST)
bp.add_url_rule(
    COURSE + "/sessions/<int:course_session_id>/edit", view_func=manage(building.edit_session), methods=GET_POST
)
bp.add_url_rule(
    COURSE + "/sessions/<int:course_session_id>/attendance", view_func=mark(attendance.attendance), methods=GET_POST
)

# Communities.
COMMUNITY = "/communities/<int:community_id>/courses"
bp.add_url_rule(COMMUNITY, view_func=in_community("community.view", community.community_courses))
bp.add_url_rule(COMMUNITY + "/<int:course_id>", view_func=in_community("community.view", community.community_course))
bp.add_url_rule(
    COMMUNITY + "/<int:course_id>/join", view_func=in_community("courses.participate", community.join_course),
    methods=["POST"],
)
bp.add_url_rule(
    COMMUNITY + "/<int:course_id>/lessons/<int:lesson_id>",
    view_func=in_community("community.view", community.lesson),
)
bp.add_url_rule(
    COMMUNITY + "/<int:course_id>/lessons/<int:lesson_id>/done",
    view_func=in_community("courses.participate", community.lesson_done), methods=["POST"],
)
