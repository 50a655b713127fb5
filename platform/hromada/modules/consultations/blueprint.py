from flask import Blueprint

from hromada.authz import requires
from hromada.modules.consultations.controllers import community, programme, staff
from hromada.modules.factors.recent import requires_recent_factor

bp = Blueprint("consultations", __name__, template_folder="templates")

COMMUNITY = "/communities/<int:community_id>"
CONSULTATION = COMMUNITY + "/consultations/<int:consultation_id>"
PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"


def community_route(path, action, view, methods=("GET",)):
    bp.add_url_rule(path, view_func=requires(action, community="community_id")(view), methods=list(methods))


def organisation_route(path, action, view, methods=("GET",)):
    bp.add_url_rule(path, view_func=requires(action, organisation="organisation_id")(view), methods=list(methods))


bp.add_url_rule("/consultations", view_func=requires("consultations.hub")(community.hub))

community_route(COMMUNITY + "/consultations", "consultations.view", community.index)
community_route(COMMUNITY + "/consultations/request", "consultations.request", community.request_consultation,
                ("GET", "POST"))
community_route(COMMUNITY + "/consultations/log", "consultations.log_directly", community.log_directly,
                ("GET", "POST"))
community_route(CONSULTATION, "consultations.view", community.detail)
community_route(CONSULTATION + "/schedule", "consultations.schedule", community.schedule, ("GET", "POST"))
community_route(CONSULTATION + "/cancel", "consultations.cancel", community.cancel, ("POST",))
community_route(CONSULTATION + "/log", "consultations.log", community.log, ("GET", "POST"))
community_route(CONSULTATION + "/rating", "consultations.rate", community.rate, ("POST",))
# Confidential notes: read only with a second factor confirmed in the last 10 minutes.
community_route(CONSULTATION + "/notes", "consultations.notes", requires_recent_factor(community.notes))
community_route(CONSULTATION + "/notes/shares", "consultations.notes", requires_recent_factor(community.share_notes),
                ("POST",))
community_route(CONSULTATION + "/notes/unshare", "consultations.notes",
                requires_recent_factor(community.unshare_notes), ("POST",))
community_route(COMMUNITY + "/follow-ups", "consultations.follow_ups", community.follow_ups)
community_route(COMMUNITY + "/follow-ups/<int:follow_up_id>/done", "consultations.follow_ups",
                community.follow_up_done, ("POST",))

bp.add_url_rule("/staff/consultations", view_func=requires("consultations.staff_lists")(staff.staff_consultations))
bp.add_url_rule("/staff/follow-ups", view_func=requires("consultations.staff_lists")(staff.staff_follow_ups))

organisation_route(PROGRAMME + "/consultation-topics", "consultations.manage_topics", programme.programme_topics,
                   ("GET", "POST"))
organisation_route(PROGRAMME + "/consultation-topics/<int:consultation_topic_id>/retire", "consultations.manage_topics",
                   programme.retire_topic, ("POST",))
organisation_route(PROGRAMME + "/consultations", "consultations.programme_kpis", programme.programme_kpis)
