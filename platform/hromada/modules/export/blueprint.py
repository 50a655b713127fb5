from flask import Blueprint

from hromada.authz import requires
from hromada.modules.export import controllers
from hromada.modules.factors.recent import requires_recent_factor

bp = Blueprint("export", __name__, template_folder="templates")

COMMUNITY = "/communities/<int:community_id>"

bp.add_url_rule(COMMUNITY + "/export", endpoint="index",
                view_func=requires("export.download", community="community_id")(
                     requires_recent_factor(controllers.index)))
bp.add_url_rule(COMMUNITY + "/export.zip", endpoint="download",
                view_func=requires("export.download", community="community_id")(
                     requires_recent_factor(controllers.download)))
