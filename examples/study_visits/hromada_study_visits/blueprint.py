from flask import Blueprint

from hromada.authz import requires
from hromada_study_visits import controllers

bp = Blueprint("study_visits", __name__, template_folder="templates", url_prefix="/study-visits")
# "account.manage": anyone signed in; the view shows only the visits of their own communities.
bp.add_url_rule("/", view_func=requires("account.manage")(controllers.index))
