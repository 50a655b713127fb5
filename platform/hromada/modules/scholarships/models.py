"""A scholarship call is organisation data; a community's application to it is shared between the
community (which writes it) and the organisation (which decides on it), under row-level security."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy import UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.money import Money, money_composite
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.questionnaires.models import Questionnaire
from hromada.tenancy import SharedWithOrganisation


class ScholarshipCall(db.Model):
    """An operator's call for scholarships to the communities of one stage of a programme."""

    __tablename__ = "scholarship_calls"
    __table_args__ = (
        CheckConstraint("budget_minor > 0 AND max_per_community_minor > 0", name="amounts_positive"),
        CheckConstraint("max_per_community_minor <= budget_minor", name="maximum_within_budget"),
        CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("programme_stages.id"))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    budget_minor: Mapped[int] = mapped_column(BigInteger)
    budget_currency: Mapped[str] = mapped_column(String(3))
    max_per_community_minor: Mapped[int] = mapped_column(BigInteger)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    # When the funded communities report: a progress report and a final one (none: not asked).
    progress_report_due: Mapped[date | None] = mapped_column(Date)
    final_report_due: Mapped[date | None] = mapped_column(Date)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    budget: Mapped[Money] = money_composite("budget_minor", "budget_currency")
    programme: Mapped[Programme] = relationship()
    stage: Mapped[Stage] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()

    @property
    def max_per_community(self) -> Money:
        return Money(self.max_per_community_minor, self.budget_currency)

    def is_open(self, today: date) -> bool:
        """Communities apply and change their applications from the opening day to the closing day, both included."""
        return self.opens_on <= today <= self.closes_on


class ScholarshipStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class ScholarshipApplication(SharedWithOrganisation, db.Model):
    """A community's application to a call: one per community and call; the organisation reads it once submitted."""

    __tablename__ = "scholarship_applications"
    __table_args__ = (
        UniqueConstraint("tenant_id", "call_id"),
        CheckConstraint("requested_minor IS NULL OR requested_minor > 0", name="requested_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("scholarship_calls.id"), index=True)
    status: Mapped[ScholarshipStatus] = mapped_column(string_enum(ScholarshipStatus), default=ScholarshipStatus.DRAFT)
    requested_minor: Mapped[int | None] = mapped_column(BigInteger)
    requested_currency: Mapped[str | None] = mapped_column(String(3))
    # {question id: answer} to this version of the call's questionnaire.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    questions_version: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    requested: Mapped[Money | None] = money_composite("requested_minor", "requested_currency")
    call: Mapped[ScholarshipCall] = relationship()
