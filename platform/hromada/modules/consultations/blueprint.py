from flask import Blueprint

from hromada.authz import requires
from hromada.modules.consultations import controllers

bp = Blueprint("consultations", __name__, template_folder="templates")

COMMUNITY = "/communities/<int:community_id>"
CONSULTATION = COMMUNITY + "/consultations/<int:consultation_id>"
PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"


def community_route(path, action, view, methods=("GET",)):
    bp.add_url_rule(path, view_func=requires(action, community="community_id")(view), methods=list(methods))


def organisation_route(path, action, view, methods=("GET",)):
    bp.add_url_rule(path, view_func=requires(action, organisation="organisation_id")(view), methods=list(methods))


bp.add_url_rule("/consultations", view_func=requires("signed_in")(controllers.hub))

community_route(COMMUNITY + "/consultations", "consultations.view", controllers.index)
community_route(COMMUNITY + "/consultations/request", "consultations.request", controllers.request_consultation,
                ("GET", "POST"))
community_route(COMMUNITY + "/consultations/log", "consultations.log_directly", controllers.log_directly,
                ("GET", "POST"))
community_route(CONSULTATION, "consultations.view", controllers.detail)
community_route(CONSULTATION + "/schedule", "consultations.schedule", controllers.schedule, ("GET", "POST"))
community_route(CONSULTATION + "/cancel", "consultations.cancel", controllers.cancel, ("POST",))
community_route(CONSULTATION + "/log", "consultations.log", controllers.log, ("GET", "POST"))
community_route(CONSULTATION + "/rating", "consultations.rate", controllers.rate, ("POST",))
community_route(CONSULTATION + "/notes", "consultations.notes", controllers.notes)
community_route(CONSULTATION + "/notes/shares", "consultations.notes", controllers.share_notes, ("POST",))
community_route(CONSULTATION + "/notes/unshare", "consultations.notes", controllers.unshare_notes, ("POST",))
community_route(COMMUNITY + "/follow-ups", "consultations.follow_ups", controllers.follow_ups)
community_route(COMMUNITY + "/follow-ups/<int:follow_up_id>/done", "consultations.follow_ups",
                controllers.follow_up_done, ("POST",))

bp.add_url_rule("/staff/consultations", view_func=requires("consultations.staff_lists")(controllers.staff_consultations))
bp.add_url_rule("/staff/follow-ups", view_func=requires("consultations.staff_lists")(controllers.staff_follow_ups))

organisation_route(PROGRAMME + "/consultation-topics", "consultations.manage_topics", controllers.programme_topics,
                   ("GET", "POST"))
organisation_route(PROGRAMME + "/consultation-topics/<int:consultation_topic_id>/retire", "consultations.manage_topics",
                   controllers.retire_topic, ("POST",))
organisation_route(PROGRAMME + "/consultations", "consultations.programme_kpis", controllers.programme_kpis)
