from flask import Blueprint

from hromada.authz import requires
from hromada.modules.notifications import controllers

bp = Blueprint("notifications", __name__, template_folder="templates")
bp.add_url_rule("/notifications", view_func=requires("signed_in")(controllers.index))
bp.add_url_rule("/notifications/read", view_func=requires("signed_in")(controllers.mark_all_read), methods=["POST"])
