"""A staff member's own consultation pages, across every community they reach: what waits for them,
what they agreed to do, and the figures of the consultations they held."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada import authz, tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, StaffAssignment
from hromada.modules.consultations import kpis
from hromada.modules.consultations.access import LEADS
from hromada.modules.consultations.controllers.common import chart
from hromada.modules.consultations.forms import ConfirmForm
from hromada.modules.consultations.models import OPEN, Consultation, ConsultationStatus, FollowUp
from hromada.modules.consultations.util import programme_topic_titles


def _read_reached_communities(community_ids: set[int], action: str) -> dict[int, Community]:
    """Open the communities a staff member reaches for reading, audited per organisation."""
    if not community_ids:
        return {}
    p = authz.principal()
    tenancy.allow_reading(community_ids)
    for organisation_id in sorted({org for cid in community_ids for org in p.reaches(cid)}):
        record(action, organisation_id=organisation_id,
               communities=sorted(cid for cid in community_ids if organisation_id in p.reaches(cid)))
    db.session.commit()
    return {c.id: c for c in db.session.scalars(select(Community).where(Community.id.in_(community_ids)))}


def _lead_enrolments(user_id: int) -> set[int]:
    """Enrolments this person is assigned to as mentor or expert, in a role they still hold."""
    p = authz.principal()
    return {
        enrolment_id
        for enrolment_id, organisation_id, role in db.session.execute(
            select(StaffAssignment.enrolment_id, StaffAssignment.organisation_id, StaffAssignment.role).where(
                StaffAssignment.user_id == user_id, StaffAssignment.role.in_(LEADS)
            )
        )
        if role in p.staff_roles(organisation_id)
    }


def own_kpis(user_id: int) -> list[kpis.KpiRow]:
    """A staff member's own consultations, in every organisation they work for: aggregates only."""
    rows: list[kpis.KpiRow] = []
    for organisation_id in sorted(authz.principal().staff):
        with tenancy.scope(organisation_id=organisation_id):
            rows += kpis.kpi_rows(Consultation.staff_id == user_id, Consultation.organisation_id == organisation_id)
    return kpis.label(kpis.merge(rows), programme_topic_titles(row.topic for row in rows))


def staff_consultations():
    p = authz.principal()
    rows = own_kpis(p.user_id)
    reach = p.staff_reach()
    communities = _read_reached_communities(set(reach), "consultations.staff_list")
    waiting, upcoming = [], []
    if communities:
        lead_enrolments = _lead_enrolments(p.user_id)
        for consultation in db.session.scalars(
            select(Consultation)
            .options(joinedload(Consultation.programme_topic))
            .where(Consultation.tenant_id.in_(communities), Consultation.status.in_(OPEN))
            .order_by(Consultation.starts_at, Consultation.requested_at, Consultation.id)
        ):
            if consultation.status == ConsultationStatus.REQUESTED and consultation.enrolment_id in lead_enrolments:
                waiting.append(consultation)
            elif consultation.status == ConsultationStatus.SCHEDULED and consultation.staff_id == p.user_id:
                upcoming.append(consultation)
    return render_template(
        "consultations/staff.html", rows=rows, total=kpis.total(rows), communities=communities,
        waiting=waiting, upcoming=upcoming, chart=chart(_("Consultations you held, by topic"), rows),
        stage_types=current_app.extensions["hromada.stage_types"],
    )


def staff_follow_ups():
    p = authz.principal()
    communities = _read_reached_communities(set(p.staff_reach()), "consultations.staff_follow_ups")
    mine, agreed = [], []
    if communities:
        for follow_up in db.session.scalars(
            select(FollowUp)
            .options(joinedload(FollowUp.owner), joinedload(FollowUp.consultation))
            .join(FollowUp.consultation)
            .where(FollowUp.tenant_id.in_(communities))
            .where((FollowUp.owner_id == p.user_id) | (Consultation.staff_id == p.user_id))
            .order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)
        ).unique():
            (mine if follow_up.owner_id == p.user_id else agreed).append(follow_up)
    return render_template(
        "consultations/staff_follow_ups.html", mine=mine, agreed=agreed, communities=communities, today=today(),
        confirm=ConfirmForm(formdata=None),
    )
