"""A community's charter: the working draft its members edit, and the versions they adopt.

The draft is rows (values, principles under a value, rules with the values they
protect, the rule "how we decide"). To adopt it, a member freezes the draft into
a `CharterVersion` (its text and its content, never changed afterwards) and
proposes it in the community's decisions; when the proposal passes, that exact
version is adopted. Every adopted version is kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.plugin_api import TenantOwned, User, db
from hromada_accelerator.versions import FrozenVersion


class CharterValue(TenantOwned, db.Model):
    __tablename__ = "accelerator_charter_values"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    meaning: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    proposed_by: Mapped[User | None] = relationship()


class CharterPrinciple(TenantOwned, db.Model):
    """A principle follows from one value."""

    __tablename__ = "accelerator_charter_principles"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("accelerator_charter_values.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CharterRule(TenantOwned, db.Model):
    """A rule, which protects at least one value (`CharterRuleValue`): rules never stand above values."""

    __tablename__ = "accelerator_charter_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CharterRuleValue(TenantOwned, db.Model):
    __tablename__ = "accelerator_charter_rule_values"
    __table_args__ = (UniqueConstraint("tenant_id", "rule_id", "value_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("accelerator_charter_rules.id", ondelete="CASCADE"), index=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("accelerator_charter_values.id", ondelete="CASCADE"), index=True)


class DecidingRule(TenantOwned, db.Model):
    """The draft of the charter's rule "how we decide": one per community."""

    __tablename__ = "accelerator_charter_deciding_rules"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("quorum_percent BETWEEN 0 AND 100", name="quorum_is_a_share"),
        CheckConstraint("threshold_percent BETWEEN 50 AND 100", name="threshold_at_least_half"),
        CheckConstraint("days BETWEEN 1 AND 90", name="days_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(20), default="consent")
    quorum_percent: Mapped[int] = mapped_column(Integer, default=0)
    days: Mapped[int] = mapped_column(Integer, default=7)
    threshold_percent: Mapped[int] = mapped_column(Integer, default=50)


class CharterVersion(FrozenVersion, TenantOwned, db.Model):
    """The draft frozen for a decision: its text as members read it, and its content as the app reads it."""

    __tablename__ = "accelerator_charter_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"), UniqueConstraint("tenant_id", "fingerprint"))
