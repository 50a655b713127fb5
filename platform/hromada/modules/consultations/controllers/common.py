"""What the consultation pages share: finding a community's consultation (or 404) and the KPI charts."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.consultations import kpis
from hromada.modules.consultations.access import Viewer
from hromada.modules.consultations.models import Consultation


def community_or_404(community_id: int) -> Community:
    return db.get_or_404(Community, community_id)


def consultation_or_404(community_id: int, consultation_id: int, viewer: Viewer) -> Consultation:
    """The community's consultation, if this person may see it at all; 404 otherwise."""
    consultation = db.session.scalar(
        select(Consultation)
        .options(joinedload(Consultation.programme_topic), joinedload(Consultation.staff),
                 joinedload(Consultation.enrolment).joinedload(Enrolment.programme))
        # The id alone is not enough: staff acting for their organisation read its rows in every community.
        .where(Consultation.id == consultation_id, Consultation.tenant_id == community_id)
    )
    if consultation is None or not viewer.can_see(consultation):
        abort(404)
    return consultation


def chart(title, rows: list[kpis.KpiRow]) -> kpis.BarChart:
    return kpis.bar_chart(str(title), [(str(row.title), row.held, str(row.held)) for row in rows])
