from flask import Blueprint

from hromada.authz import public
from hromada.modules.home import controllers

bp = Blueprint("home", __name__, template_folder="templates")
bp.add_url_rule("/", view_func=public(controllers.index))
bp.add_url_rule("/language", view_func=public(controllers.choose_language), methods=["POST"])
