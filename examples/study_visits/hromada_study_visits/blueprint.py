from flask import Blueprint

from hromada.plugin_api import requires
from hromada_study_visits import controllers

bp = Blueprint("study_visits", __name__, template_folder="templates", url_prefix="/study-visits")
# "study_visits.view" is this plugin's own access rule (see plugin.py): members of a community.
bp.add_url_rule("/", view_func=requires("study_visits.view")(controllers.index))
