"""A staff member's own consultation pages, across every community they reach: what waits for them,
what they agreed to do, and the figures of the consultations they held."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from hromada import authz, tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, StaffAssignment
from hromada.modules.communities.reach import assigned_reach
from hromada.modules.consultations import kpis
from hromada.modules.consultations.access import LEADS
from hromada.modules.consultations.controllers.common import chart
from hromada.modules.consultations.forms import ConfirmForm
from hromada.modules.consultations.models import OPEN, Consultation, ConsultationStatus, FollowUp
from hromada.modules.consultations.util import programme_topic_titles


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
    lead_enrolments: set[int] = set()
    for organisation_id in p.staff:  # the assignments are the organisation's rows
        with tenancy.scope(organisation_id=organisation_id):
            lead_enrolments |= _lead_enrolments(p.user_id)
    # Requests waiting for this person as the community's mentor or expert, and what they scheduled.
    mine = or_(and_(Consultation.status == ConsultationStatus.REQUESTED,
                    Consultation.enrolment_id.in_(sorted(lead_enrolments) or [0])),
               and_(Consultation.status == ConsultationStatus.SCHEDULED, Consultation.staff_id == p.user_id))
    found = _in_reach(p, Consultation, select(Consultation).options(joinedload(Consultation.programme_topic))
                      .where(mine))
    found.sort(key=lambda c: (c.starts_at is None, c.starts_at or c.requested_at, c.requested_at, c.id))
    communities = _read_shown_communities(found, "consultations.staff_list")
    waiting = [c for c in found if c.status == ConsultationStatus.REQUESTED]
    upcoming = [c for c in found if c.status == ConsultationStatus.SCHEDULED]
    page = render_template(
        "consultations/staff.html", rows=rows, total=kpis.total(rows), communities=communities,
        waiting=waiting, upcoming=upcoming, chart=chart(_("Consultations you held, by topic"), rows),
        stage_types=current_app.extensions["hromada.stage_types"],
    )
    db.session.commit()  # the audited reads
    return page


def _in_reach(p, model, query) -> list:
    """The rows of `query` (of `model`, a community's row shared with its organisation) in the communities the
    person reaches as staff.

    An operator reaches every community of the organisation: those are read in its scope, not by listing (and
    naming, and auditing) its 20,000 communities to show a few rows (489 ms for the follow-ups at that size).
    In the other organisations the person reaches the communities assigned to them.
    """
    found = []
    operated = sorted(org for org in p.staff if p.operates(org))
    for organisation_id in operated:
        with tenancy.scope(organisation_id=organisation_id):
            found += db.session.scalars(query.where(model.organisation_id == organisation_id)).unique().all()
    if len(operated) < len(p.staff):
        reached = {community for community, by_organisation in assigned_reach(p).items()
                   if set(by_organisation) - set(operated)}
        if reached:
            tenancy.allow_reading(reached)
            found += db.session.scalars(query.where(model.tenant_id.in_(reached),
                                                    model.organisation_id.not_in(operated or [0]))).unique().all()
    return found


def _read_shown_communities(consultations: list[Consultation], action: str) -> dict[int, Community]:
    """The communities of the consultations shown, read through an audited allowance, per organisation."""
    by_organisation: dict[int, set[int]] = {}
    for consultation in consultations:
        by_organisation.setdefault(consultation.organisation_id, set()).add(consultation.tenant_id)
    shown = {community for communities in by_organisation.values() for community in communities}
    if not shown:
        return {}
    tenancy.allow_reading(shown)
    for organisation_id, communities in sorted(by_organisation.items()):
        record(action, organisation_id=organisation_id, communities=sorted(communities))
    # The audit entries are committed by the view once the page is made: a commit now would expire what it
    # loaded, and the page would read each row again.
    return {c.id: c for c in db.session.scalars(select(Community).where(Community.id.in_(shown)))}


def staff_follow_ups():
    p = authz.principal()
    found = _in_reach(p, FollowUp, select(FollowUp)
                      .options(joinedload(FollowUp.owner), joinedload(FollowUp.consultation))
                      .join(FollowUp.consultation)
                      .where((FollowUp.owner_id == p.user_id) | (Consultation.staff_id == p.user_id)))
    found.sort(key=lambda f: (f.done_at is not None, f.due_on, f.id))
    communities = _read_shown_communities(found, "consultations.staff_follow_ups")
    mine = [follow_up for follow_up in found if follow_up.owner_id == p.user_id]
    agreed = [follow_up for follow_up in found if follow_up.owner_id != p.user_id]
    page = render_template(
        "consultations/staff_follow_ups.html", mine=mine, agreed=agreed, communities=communities, today=today(),
        confirm=ConfirmForm(formdata=None),
    )
    db.session.commit()  # the audited reads
    return page
