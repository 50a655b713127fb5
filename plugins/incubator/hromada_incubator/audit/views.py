"""Pages of the security audit: the community's audits, one audit's checklist, and its actions.

Who sees what: the community's coordinators and the mentors and experts assigned
to the enrolment read the findings; the expert who led the security consultation
records them; coordinators track the recommendations to done. Operators see only
whether the audit is complete (the stage requirement and the progress page).
"""

from __future__ import annotations


from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hromada.plugin_api import (
    CONSULTATION_HELD,
    CONSULTATION_LEADS,
    Community,
    ConfidentialError,
    Consultation,
    StaffRole,
    act_for_organisation,
    db,
    record_activity,
    record_audit,
    requires,
    seal,
    tenancy_scope,
    unseal,
    utc_now,
)
from hromada.plugin_api import ConsultationViewer as Viewer
from hromada_incubator.audit.forms import ConfirmForm, FindingForm, ItemForm
from hromada_incubator.audit.models import (
    FINDING_PURPOSE,
    RECOMMENDATION_PURPOSE,
    AuditFinding,
    SecurityAudit,
)
from hromada_incubator.audit_checklist import CHECKLIST, RISK_LEVEL_LABELS, RISK_LEVELS

SECURITY_TOPIC = "incubator.security"

bp = Blueprint("incubator_audit", __name__, template_folder="templates")


# --- Who may do what, for one audit ------------------------------------------------------


def may_read(viewer: Viewer, enrolment_id: int) -> bool:
    return viewer.is_coordinator or bool(viewer.roles_in(enrolment_id) & CONSULTATION_LEADS)


def may_record(viewer: Viewer, audit: SecurityAudit) -> bool:
    return (
        audit.completed_at is None
        and audit.expert_id == viewer.user_id
        and StaffRole.EXPERT in viewer.roles_in(audit.enrolment_id)
    )


def may_start(viewer: Viewer, consultation: Consultation) -> bool:
    return (
        consultation.topic_key == SECURITY_TOPIC
        and consultation.status in CONSULTATION_HELD
        and consultation.staff_id == viewer.user_id
        and StaffRole.EXPERT in viewer.roles_in(consultation.enrolment_id)
    )


# --- Sealing -------------------------------------------------------------------------------


def _seal(community_id: int, text: str, purpose: str) -> bytes:
    return seal(text, purpose, tenant_id=community_id)


def _unseal(community_id: int, blob: bytes, purpose: str) -> tuple[str | None, object | None]:
    """(text, None), or (None, a message that says why it cannot be read)."""
    try:
        return unseal(bytes(blob), purpose, tenant_id=community_id), None
    except ConfidentialError as error:
        return None, error.message


# --- Loading -----------------------------------------------------------------------------------


def _consultation(community_id: int, consultation_id: int) -> Consultation:
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.id == consultation_id, Consultation.tenant_id == community_id)
    )
    if consultation is None:
        abort(404)
    return consultation


def _audit(community_id: int, consultation_id: int, viewer: Viewer) -> SecurityAudit:
    audit = db.session.scalar(
        select(SecurityAudit)
        .options(joinedload(SecurityAudit.expert))
        .where(SecurityAudit.consultation_id == consultation_id, SecurityAudit.tenant_id == community_id)
    )
    if audit is None or not may_read(viewer, audit.enrolment_id):
        abort(404)
    return audit


def _findings(audit: SecurityAudit) -> dict[str, AuditFinding]:
    return {
        finding.item_key: finding
        for finding in db.session.scalars(
            select(AuditFinding).where(AuditFinding.audit_id == audit.id, AuditFinding.tenant_id == audit.tenant_id)
        )
    }


def _write_as_staff(viewer: Viewer, organisation_id: int) -> None:
    if not viewer.is_member:
        act_for_organisation(organisation_id)


def _page(community_id: int, consultation_id: int) -> str:
    return url_for("incubator_audit.audit", community_id=community_id, consultation_id=consultation_id)


# --- Pages ---------------------------------------------------------------------------------------


def index(community_id: int):
    """The community's audits, and the security consultations an expert may start one from."""
    community = db.get_or_404(Community, community_id)
    viewer = Viewer.load(community_id)
    audits = [
        audit
        for audit in db.session.scalars(
            select(SecurityAudit).options(joinedload(SecurityAudit.expert))
            .where(SecurityAudit.tenant_id == community_id).order_by(SecurityAudit.id.desc())
        )
        if may_read(viewer, audit.enrolment_id)
    ]
    counts = {
        audit_id: (assessed, open_)
        for audit_id, assessed, open_ in db.session.execute(
            select(AuditFinding.audit_id, func.count(), func.count().filter(AuditFinding.done_at.is_(None)))
            .where(AuditFinding.tenant_id == community_id)
            .group_by(AuditFinding.audit_id)
        )
    }
    audited = {audit.consultation_id for audit in audits}
    startable = [
        consultation
        for consultation in db.session.scalars(
            select(Consultation).where(Consultation.tenant_id == community_id,
                                       Consultation.topic_key == SECURITY_TOPIC,
                                       Consultation.status.in_(CONSULTATION_HELD))
            .order_by(Consultation.id.desc())
        )
        if consultation.id not in audited and may_start(viewer, consultation)
    ]
    return render_template(
        "incubator_audit/index.html", community=community, audits=audits, counts=counts, startable=startable,
        items=len(CHECKLIST), confirm=ConfirmForm(formdata=None),
    )


def start(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not may_start(viewer, consultation):
        abort(403)
    _write_as_staff(viewer, consultation.organisation_id)
    db.session.add(SecurityAudit(tenant_id=community_id, organisation_id=consultation.organisation_id,
                                 enrolment_id=consultation.enrolment_id, consultation_id=consultation.id,
                                 expert_id=current_user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # started already (a second click): open the one there is
        return redirect(_page(community_id, consultation.id))
    record_audit("incubator.audit_started", organisation_id=consultation.organisation_id, community_id=community_id,
           consultation_id=consultation.id)
    db.session.commit()
    return redirect(_page(community_id, consultation.id))


def audit(community_id: int, consultation_id: int, form: FindingForm | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    viewer = Viewer.load(community_id)
    audit = _audit(community_id, consultation_id, viewer)
    findings = _findings(audit)
    recordable = may_record(viewer, audit)
    rows = []
    for item in CHECKLIST:
        finding = findings.get(item.key)
        row = {"item": item, "finding": finding, "text": None, "recommendation": None, "problem": None}
        if finding is not None:
            row["text"], problem = _unseal(community_id, finding.finding, FINDING_PURPOSE)
            row["recommendation"], problem_too = _unseal(community_id, finding.recommendation,
                                                         RECOMMENDATION_PURPOSE)
            row["problem"] = problem or problem_too
        if recordable:
            if form is not None and form.item_key.data == item.key:
                row["form"] = form
            else:
                row["form"] = FindingForm(
                    formdata=None, prefix=item.key, item_key=item.key,
                    finding=row["text"] or "", recommendation=row["recommendation"] or "",
                    risk_level=finding.risk_level if finding else "",
                )
        rows.append(row)
    if findings:
        record_audit("incubator.audit_read", organisation_id=audit.organisation_id, community_id=community_id,
               consultation_id=consultation_id)
        db.session.commit()
    return render_template(
        "incubator_audit/audit.html", community=community, audit=audit, rows=rows, recordable=recordable,
        can_track=viewer.is_coordinator,
        unplaced_errors=form.errors if form is not None and form.item_key.data not in {r["item"].key for r in rows}
        else None,
        complete_ready=recordable and len(findings) == len(CHECKLIST),
        risk_labels=RISK_LEVEL_LABELS, risk_order=RISK_LEVELS, confirm=ConfirmForm(formdata=None),
        item_form=ItemForm(formdata=None), assessed=len(findings), items=len(CHECKLIST),
    ), status


def record_finding(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    audit_row = _audit(community_id, consultation_id, viewer)
    if not may_record(viewer, audit_row):
        if audit_row.completed_at is not None:
            flash(_("The audit is complete; its findings no longer change."))
            return redirect(_page(community_id, consultation_id))
        abort(403)
    # The form's fields carry the item's key as a prefix, so that each item has its own form on the page.
    prefix = request.form.get("prefix", "")
    form = FindingForm(prefix=prefix if prefix in {item.key for item in CHECKLIST} else "")
    if not form.validate_on_submit():
        return audit(community_id, consultation_id, form=form, status=400)
    finding_blob = _seal(community_id, form.finding.data.strip(), FINDING_PURPOSE)
    recommendation_blob = _seal(community_id, form.recommendation.data.strip(), RECOMMENDATION_PURPOSE)
    values = dict(risk_level=form.risk_level.data, finding=finding_blob, recommendation=recommendation_blob,
                  assessed_by_id=current_user.id, assessed_at=utc_now())
    _write_as_staff(viewer, audit_row.organisation_id)
    criteria = (AuditFinding.audit_id == audit_row.id, AuditFinding.tenant_id == community_id,
                AuditFinding.item_key == form.item_key.data)
    changed = db.session.execute(
        update(AuditFinding).where(*criteria).values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.add(AuditFinding(tenant_id=community_id, organisation_id=audit_row.organisation_id,
                                    audit_id=audit_row.id, item_key=form.item_key.data, **values))
        try:
            db.session.flush()
        except IntegrityError:
            # The same item sent twice at once: the other submission inserted it; this one updates it.
            db.session.rollback()
            _write_as_staff(viewer, audit_row.organisation_id)
            db.session.execute(
                update(AuditFinding).where(*criteria).values(**values).execution_options(synchronize_session=False)
            )
    # Ids and the risk level only: the finding's text stays sealed.
    record_audit("incubator.audit_finding_recorded", organisation_id=audit_row.organisation_id,
           community_id=community_id, consultation_id=consultation_id, item=form.item_key.data,
           risk_level=form.risk_level.data)
    db.session.commit()
    flash(_("Saved."))
    return redirect(_page(community_id, consultation_id) + f"#item-{form.item_key.data}")


def complete(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    audit_row = _audit(community_id, consultation_id, viewer)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if audit_row.completed_at is not None:
        return redirect(_page(community_id, consultation_id))
    if not may_record(viewer, audit_row):
        abort(403)
    assessed = len(_findings(audit_row))
    if assessed < len(CHECKLIST):
        flash(_("Assess every point of the checklist before completing the audit."), "error")
        return redirect(_page(community_id, consultation_id))
    _write_as_staff(viewer, audit_row.organisation_id)
    changed = db.session.execute(
        update(SecurityAudit)
        .where(SecurityAudit.id == audit_row.id, SecurityAudit.tenant_id == community_id,
               SecurityAudit.completed_at.is_(None))
        .values(completed_at=utc_now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        with tenancy_scope(tenant_id=community_id):
            record_activity()
        record_audit("incubator.audit_completed", organisation_id=audit_row.organisation_id, community_id=community_id,
               consultation_id=consultation_id)
        flash(_("The audit is complete."))
    db.session.commit()
    return redirect(_page(community_id, consultation_id))


def mark_done(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    audit_row = _audit(community_id, consultation_id, viewer)
    form = ItemForm()
    if not form.validate_on_submit():
        abort(400)
    if not viewer.is_coordinator:
        abort(403)
    changed = db.session.execute(
        update(AuditFinding)
        .where(AuditFinding.audit_id == audit_row.id, AuditFinding.tenant_id == community_id,
               AuditFinding.item_key == form.item_key.data, AuditFinding.done_at.is_(None))
        .values(done_at=utc_now(), done_by_id=current_user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        record_activity()
        flash(_("Marked as done."))
    db.session.commit()
    return redirect(_page(community_id, consultation_id) + f"#item-{form.item_key.data}")


COMMUNITY = "/communities/<int:community_id>"
AUDIT = COMMUNITY + "/consultations/<int:consultation_id>/security-audit"


def _route(path, action, view, methods=("GET",)):
    bp.add_url_rule(path, view_func=requires(action, community="community_id")(view), methods=list(methods))


_route(COMMUNITY + "/security-audit", "incubator.audit_view", index)
_route(AUDIT, "incubator.audit_view", audit)
_route(AUDIT + "/start", "incubator.audit_record", start, ("POST",))
_route(AUDIT + "/findings", "incubator.audit_record", record_finding, ("POST",))
_route(AUDIT + "/complete", "incubator.audit_record", complete, ("POST",))
_route(AUDIT + "/done", "incubator.audit_track", mark_done, ("POST",))
