from flask import Blueprint

from hromada.authz import public
from hromada.modules.health import controllers

bp = Blueprint("health", __name__)
bp.add_url_rule("/health", view_func=public(controllers.health))
