"""Test helpers of the security audit: an audit with findings, for the isolation matrix and the tests."""

from __future__ import annotations


from hromada.plugin_api import Consultation, db, seal, system_scope, utc_now
from hromada_incubator.audit.models import FINDING_PURPOSE, RECOMMENDATION_PURPOSE, AuditFinding, SecurityAudit
from hromada_incubator.audit_checklist import CHECKLIST, HIGH


def add_audit(consultation, *, marker: str = "", expert_id: int, items: int = 2, completed: bool = False):
    """An audit of `consultation` with the first `items` checklist points assessed; committed."""
    with system_scope():
        audit = SecurityAudit(tenant_id=consultation.tenant_id, organisation_id=consultation.organisation_id,
                              enrolment_id=consultation.enrolment_id, consultation_id=consultation.id,
                              expert_id=expert_id, completed_at=utc_now() if completed else None)
        db.session.add(audit)
        db.session.flush()
        for item in CHECKLIST[:items]:
            db.session.add(AuditFinding(
                tenant_id=consultation.tenant_id, organisation_id=consultation.organisation_id, audit_id=audit.id,
                item_key=item.key, risk_level=HIGH,
                finding=seal(f"Finding {item.key} {marker}", FINDING_PURPOSE, tenant_id=consultation.tenant_id),
                recommendation=seal(f"Do this {item.key} {marker}", RECOMMENDATION_PURPOSE,
                                    tenant_id=consultation.tenant_id),
                assessed_by_id=expert_id, assessed_at=utc_now(),
            ))
        db.session.commit()
        db.session.refresh(audit)
        # Loaded again while every tenant is readable, so the caller can still use it in any context.
        if consultation in db.session:
            db.session.refresh(consultation)
    return audit


def add_audit_to(consultation_id: int, *, marker: str, expert_id: int):
    """An audit of the consultation with this id, whichever community it belongs to."""
    with system_scope():
        consultation = db.session.get(Consultation, consultation_id)
    return add_audit(consultation, marker=marker, expert_id=expert_id)
