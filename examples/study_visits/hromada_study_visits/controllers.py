from flask import render_template
from sqlalchemy import select

from hromada.plugin_api import current_principal, db, tenancy_scope
from hromada_study_visits.models import StudyVisit


def index():
    communities = frozenset(current_principal().memberships)
    visits = []
    if communities:
        # Read-only, and only the communities this person belongs to; both walls enforce it.
        with tenancy_scope(reader_tenants=communities):
            visits = db.session.scalars(
                select(StudyVisit).order_by(StudyVisit.visit_on.desc(), StudyVisit.id)
            ).all()
    # No community's name on the page: a list of who visited whom can put people at risk.
    return render_template("study_visits/index.html", visits=visits)
