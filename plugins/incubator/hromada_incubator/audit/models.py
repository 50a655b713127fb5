"""A security audit of a community and its findings, one per checklist item.

Both are a community's rows that the organisation running its programme also
writes (its expert records them): `SharedWithOrganisation`, behind row-level
security. The texts are sealed (`hromada.modules.confidential.crypto`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, LargeBinary, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.plugin_api import SharedWithOrganisation, User, db
from hromada_incubator.audit_checklist import RISK_LEVELS

FINDING_PURPOSE = "incubator.audit_findings"
RECOMMENDATION_PURPOSE = "incubator.audit_recommendations"


class SecurityAudit(SharedWithOrganisation, db.Model):
    """The audit that follows one security consultation. Complete once every item is assessed."""

    __tablename__ = "incubator_security_audits"
    __table_args__ = (UniqueConstraint("tenant_id", "consultation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    expert: Mapped[User] = relationship()
    findings: Mapped[list[AuditFinding]] = relationship(back_populates="audit", cascade="all, delete-orphan")


class AuditFinding(SharedWithOrganisation, db.Model):
    """What the expert found on one checklist item, how risky it is, and what to do about it."""

    __tablename__ = "incubator_audit_findings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "audit_id", "item_key"),
        CheckConstraint("risk_level IN (" + ", ".join(f"'{level}'" for level in RISK_LEVELS) + ")",
                        name="risk_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("incubator_security_audits.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(50))
    risk_level: Mapped[str] = mapped_column(String(20))
    # Sealed with FINDING_PURPOSE and RECOMMENDATION_PURPOSE under the community's key.
    finding: Mapped[bytes] = mapped_column(LargeBinary)
    recommendation: Mapped[bytes] = mapped_column(LargeBinary)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    audit: Mapped[SecurityAudit] = relationship(back_populates="findings")
