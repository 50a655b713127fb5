"""The incubator stage's requirement: a completed security audit, and the audit on the progress page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from hromada.plugin_api import ConsultationViewer, Outcome, ProgressSection, Requirement, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_incubator.audit.models import AuditFinding, SecurityAudit
from hromada_incubator.audit_checklist import CHECKLIST

KEY = "incubator.security_audit"
NOT_COMPLETED = _l("security audit not completed")


def evaluate(stage, enrolments) -> dict:
    """One query for every enrolment: which have a completed audit."""
    ids = [enrolment.id for enrolment in enrolments]
    completed = set()
    if ids:
        completed = set(db.session.scalars(
            select(SecurityAudit.enrolment_id).where(SecurityAudit.enrolment_id.in_(ids),
                                                     SecurityAudit.completed_at.is_not(None))
        ))
    return {
        enrolment.id: Outcome(True) if enrolment.id in completed else Outcome(False, NOT_COMPLETED)
        for enrolment in enrolments
    }


def requirements_for(stage) -> list[Requirement]:
    if stage is None or stage.stage_type != "incubator":
        return []
    return [Requirement(KEY, _l("Security audit completed"), evaluate)]


@dataclass(frozen=True)
class AuditState:
    completed: bool
    assessed: int
    open: int
    items: int = len(CHECKLIST)


def progress_sections(enrolment, stage) -> list[ProgressSection]:
    """The latest audit of the enrolment, as counts: every viewer of the progress page may see these."""
    from flask import url_for

    from hromada_incubator.audit.views import may_read

    if stage is None or stage.stage_type != "incubator":
        return []
    audit = db.session.scalar(
        select(SecurityAudit)
        .where(SecurityAudit.enrolment_id == enrolment.id, SecurityAudit.tenant_id == enrolment.tenant_id)
        .order_by(SecurityAudit.completed_at.is_(None), SecurityAudit.id.desc())
        .limit(1)
    )
    state = None
    if audit is not None:
        assessed, open_ = db.session.execute(
            select(func.count(), func.count().filter(AuditFinding.done_at.is_(None)))
            .where(AuditFinding.audit_id == audit.id, AuditFinding.tenant_id == enrolment.tenant_id)
        ).one()
        state = AuditState(completed=audit.completed_at is not None, assessed=assessed, open=open_)
    link = None
    if may_read(ConsultationViewer.load(enrolment.tenant_id), enrolment.id):
        link = url_for("incubator_audit.index", community_id=enrolment.tenant_id)
    return [ProgressSection("incubator.security_audit", _l("Security audit"), "incubator_audit/_progress.html",
                            {"audit_state": state, "audit_link": link}, order=70)]
