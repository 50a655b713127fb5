from flask import Blueprint

from hromada.authz import requires
from hromada.modules.events import controllers

bp = Blueprint("events", __name__, template_folder="templates")

PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>/events"
EVENT = PROGRAMME + "/<int:event_id>"


def _staff(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, organisation="organisation_id")(view), "methods": list(methods)}


# The organisation's pages: operators plan; operators and facilitators mark attendance.
bp.add_url_rule("/organisations/<int:organisation_id>/events",
                **_staff("events.mark_attendance", controllers.organisation_events))
bp.add_url_rule(PROGRAMME, **_staff("events.mark_attendance", controllers.programme_events))
bp.add_url_rule(PROGRAMME + "/new", **_staff("events.manage", controllers.new_event, ("GET", "POST")))
bp.add_url_rule(PROGRAMME + "/kpis", **_staff("events.manage", controllers.programme_kpis))
bp.add_url_rule(EVENT, **_staff("events.mark_attendance", controllers.event_detail))
bp.add_url_rule(EVENT + "/edit", **_staff("events.manage", controllers.edit_event, ("GET", "POST")))
bp.add_url_rule(EVENT + "/attendance", **_staff("events.mark_attendance", controllers.mark_attendance, ("POST",)))
bp.add_url_rule(EVENT + "/follow-up/<int:follow_up_id>",
                **_staff("events.manage", controllers.update_follow_up, ("POST",)))

# A community's page: its members register themselves.
COMMUNITY = "/communities/<int:community_id>/events"
bp.add_url_rule(COMMUNITY, view_func=requires("events.register", community="community_id")(controllers.community_events))
bp.add_url_rule(
    COMMUNITY + "/<int:event_id>/register",
    view_func=requires("events.register", community="community_id")(controllers.register),
    methods=["POST"],
)
bp.add_url_rule(
    COMMUNITY + "/<int:event_id>/unregister",
    view_func=requires("events.register", community="community_id")(controllers.unregister),
    methods=["POST"],
)
