"""The demo's security audit in progress: the expert's audit of an incubator community, started after its
held security consultation, with four of the checklist's points assessed (risk levels, findings and
recommendations sealed under the community's key, one point already dealt with) and the others not yet.

Runs after the consultations module's demo (`trylast` in plugin.py); adds nothing when the audit is there.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import CONSULTATION_HELD, Consultation, db, seal
from hromada_incubator.audit.models import FINDING_PURPOSE, RECOMMENDATION_PURPOSE, AuditFinding, SecurityAudit
from hromada_incubator.audit_checklist import CHECKLIST, CRITICAL, HIGH, LOW, MEDIUM
from hromada_incubator.audit.views import SECURITY_TOPIC

EXPERT = "iryna-expert"
# item key: (risk level, finding, recommendation, days after the consultation it was assessed,
#            days after it the coordinator marked it dealt with, or None)
FINDINGS = {
    "two_factor": (
        HIGH,
        "The shared mailbox and the page on the social network had only a password, known to five people.",
        "Two-factor sign-in on both, an authenticator app on two phones, recovery codes on paper at the "
        "coordinator's.",
        2, 5,
    ),
    "messengers": (
        CRITICAL,
        "The organising chat has 43 participants, some unknown to the core group; phone numbers are visible "
        "to all and messages are kept for ever.",
        "A closed chat of the core group with disappearing messages after a week; the big chat for "
        "announcements only, with phone numbers hidden.",
        2, None,
    ),
    "devices": (
        MEDIUM,
        "Most phones are locked with a code; two members use a shared family tablet for the circle's chats.",
        "No circle chats on shared devices; encryption and a six-digit code on every phone used for the circle.",
        9, None,
    ),
    "vetting": (
        LOW,
        "New neighbours join after meeting two members in person and see the announcements chat only.",
        "Keep it; write the rule down so that every member applies it the same way.",
        9, None,
    ),
}


def add_demo_audit(communities: dict, people: dict) -> None:
    expert = people.get(EXPERT)
    community_ids = [community.id for community in communities.values()]
    if expert is None or not community_ids:
        return
    # The first held security consultation the expert led in a demo community (consultations' demo made it).
    consultation = db.session.scalar(
        select(Consultation)
        .where(Consultation.tenant_id.in_(community_ids), Consultation.topic_key == SECURITY_TOPIC,
               Consultation.status.in_(CONSULTATION_HELD), Consultation.staff_id == expert.id)
        .order_by(Consultation.starts_at, Consultation.id)
        .limit(1)
    )
    if consultation is None or db.session.scalar(
        select(SecurityAudit.id).where(SecurityAudit.tenant_id == consultation.tenant_id,
                                       SecurityAudit.consultation_id == consultation.id)
    ):
        return
    shared = {"tenant_id": consultation.tenant_id, "organisation_id": consultation.organisation_id}
    held = consultation.starts_at
    audit = SecurityAudit(**shared, enrolment_id=consultation.enrolment_id, consultation_id=consultation.id,
                          expert_id=expert.id, created_at=held + timedelta(days=1))
    db.session.add(audit)
    db.session.flush()
    assessed = {item.key for item in CHECKLIST}
    for key, (risk, finding, recommendation, after, done) in FINDINGS.items():
        if key not in assessed:
            continue
        db.session.add(AuditFinding(
            **shared, audit_id=audit.id, item_key=key, risk_level=risk,
            # Sealed under the community's key, as the audit's form seals them.
            finding=seal(finding, FINDING_PURPOSE, tenant_id=consultation.tenant_id),
            recommendation=seal(recommendation, RECOMMENDATION_PURPOSE, tenant_id=consultation.tenant_id),
            assessed_by_id=expert.id, assessed_at=held + timedelta(days=after),
            done_at=held + timedelta(days=done) if done is not None else None,
            # The community's coordinator marks a point dealt with: the one who asked for the consultation.
            done_by_id=(consultation.requested_by_id or expert.id) if done is not None else None,
        ))
    db.session.flush()

