"""A scholarship call is organisation data; a community's application to it is shared between the
community (which writes it) and the organisation (which decides on it), under row-level security."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, DateTime, Enum, Float, ForeignKey, Index, Integer, String
from sqlalchemy import Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.money import Money, money_composite
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.questionnaires.models import Questionnaire
from hromada.tenancy import SharedWithOrganisation


class TrancheCondition(str, enum.Enum):
    """What releases a tranche for payment."""

    ON_APPROVAL = "on_approval"
    PROGRESS_REPORT_APPROVED = "progress_report_approved"
    FINAL_REPORT_APPROVED = "final_report_approved"
    # Every action of one milestone of the community's action plan done (the operator picks the milestone).
    MILESTONE_DONE = "milestone_done"


DEFAULT_TRANCHE_PLAN = ({"share": 60, "condition": "on_approval"}, {"share": 40, "condition": "final_report_approved"})


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
    # The questions of the progress and final reports (none until the operator asks the first one).
    report_questionnaire_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaires.id"))
    # How an approved amount is paid: [{"share": percent, "condition": TrancheCondition value}, ...], adding up
    # to 100. Each approval copies it into its own schedule, so a later change leaves approved schedules alone.
    tranche_plan: Mapped[list] = mapped_column(JSON, default=lambda: [dict(step) for step in DEFAULT_TRANCHE_PLAN])
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    budget: Mapped[Money] = money_composite("budget_minor", "budget_currency")
    programme: Mapped[Programme] = relationship()
    stage: Mapped[Stage] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship(foreign_keys=[questionnaire_id])
    report_questionnaire: Mapped[Questionnaire | None] = relationship(foreign_keys=[report_questionnaire_id])

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
    # The operator's determination.
    MORE_INFORMATION = "more_information"
    APPROVED = "approved"
    DECLINED = "declined"


DETERMINED = (ScholarshipStatus.APPROVED, ScholarshipStatus.DECLINED)


class ScholarshipApplication(SharedWithOrganisation, db.Model):
    """A community's application to a call: one per community and call; the organisation reads it once submitted."""

    __tablename__ = "scholarship_applications"
    __table_args__ = (
        UniqueConstraint("tenant_id", "call_id"),
        # The operator's list of a call's applications: counted by status, filtered by one (listing.py).
        Index("ix_scholarship_applications_call_id_status", "call_id", "status"),
        CheckConstraint("requested_minor IS NULL OR requested_minor > 0", name="requested_positive"),
        CheckConstraint("approved_minor IS NULL OR approved_minor > 0", name="approved_positive"),
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
    # The determination: the amount approved (the call's currency), the message to the community.
    approved_minor: Mapped[int | None] = mapped_column(BigInteger)
    determination_message: Mapped[str] = mapped_column(Text, default="")
    determined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    determined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    requested: Mapped[Money | None] = money_composite("requested_minor", "requested_currency")
    call: Mapped[ScholarshipCall] = relationship()


class Criterion(db.Model):
    """One criterion of a call's rubric: a weight, and what each score from 0 to 5 means."""

    __tablename__ = "scholarship_criteria"
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 10", name="weight_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("scholarship_calls.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(Integer, default=1)
    # Six texts: what a score of 0, 1, ... 5 means.
    guidance: Mapped[list] = mapped_column(JSON, default=list)


class Recommendation(str, enum.Enum):
    FUND = "fund"
    MAYBE = "maybe"
    DO_NOT_FUND = "do_not_fund"


class ReviewStatus(str, enum.Enum):
    ASSIGNED = "assigned"  # has not declared yet: sees nothing of the application
    RECUSED = "recused"  # declared a conflict of interest: sees nothing more
    REVIEWING = "reviewing"  # declared no conflict: reads and scores
    SUBMITTED = "submitted"  # scored: sees the others' scores


class Review(db.Model):
    """A reviewer assigned to an application: organisation data (a community never reads who reviews it)."""

    __tablename__ = "scholarship_reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        # A reviewer's list, a page at a time (listing.py).
        Index("ix_scholarship_reviews_reviewer_id_organisation_id", "reviewer_id", "organisation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("scholarship_calls.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("scholarship_applications.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(string_enum(ReviewStatus), default=ReviewStatus.ASSIGNED)
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recommendation: Mapped[Recommendation | None] = mapped_column(string_enum(Recommendation))
    comment: Mapped[str] = mapped_column(Text, default="")
    # {criterion id: {"score": 0-5, "comment": ...}}
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    # The reviewer's weighted mean of `scores` (summary.weighted_total), kept when the review is submitted, so
    # that a call's list sorts and summarises its applications in SQL instead of reading every review's scores.
    weighted_total: Mapped[float | None] = mapped_column(Float)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    call: Mapped[ScholarshipCall] = relationship()


class Tranche(SharedWithOrganisation, db.Model):
    """One payment of an approved scholarship: released when its condition is met, then paid (recorded by an
    operator: the payment itself happens in the organisation's bank, not here)."""

    __tablename__ = "scholarship_tranches"
    __table_args__ = (
        UniqueConstraint("tenant_id", "application_id", "position"),
        CheckConstraint("amount_minor >= 0", name="amount_not_negative"),
        CheckConstraint("share BETWEEN 1 AND 100", name="share_in_range"),
        CheckConstraint("paid_on IS NULL OR released_at IS NOT NULL", name="paid_only_when_released"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("scholarship_calls.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("scholarship_applications.id", ondelete="CASCADE"),
                                                index=True)
    position: Mapped[int] = mapped_column(Integer)
    share: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # Spelled out rather than `string_enum`: the condition names are longer than its 20 characters.
    condition: Mapped[TrancheCondition] = mapped_column(Enum(
        TrancheCondition, values_callable=lambda members: [member.value for member in members], native_enum=False,
        create_constraint=True, length=30, name="tranchecondition"))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The payment as the operator recorded it: the day of the transfer and the bank's reference.
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # For a "milestone done" tranche: the milestone of the community's action plan the operator chose.
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_plan_milestones.id", ondelete="SET NULL"), index=True)

    amount: Mapped[Money] = money_composite("amount_minor", "currency")


class ReportKind(str, enum.Enum):
    PROGRESS = "progress"
    FINAL = "final"


class ReportStatus(str, enum.Enum):
    DRAFT = "draft"  # the community's own: the organisation does not read it
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back with a comment: the community changes it and submits again
    APPROVED = "approved"


# What releases a tranche when a report of this kind is approved.
REPORT_CONDITIONS = {ReportKind.PROGRESS: TrancheCondition.PROGRESS_REPORT_APPROVED,
                     ReportKind.FINAL: TrancheCondition.FINAL_REPORT_APPROVED}


class ScholarshipReport(SharedWithOrganisation, db.Model):
    """A funded community's progress or final report, answering the call's report questions: one of each kind
    per approved application, written by the community and approved (or returned) by the organisation."""

    __tablename__ = "scholarship_reports"
    __table_args__ = (UniqueConstraint("tenant_id", "application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("scholarship_calls.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("scholarship_applications.id", ondelete="CASCADE"),
                                                index=True)
    kind: Mapped[ReportKind] = mapped_column(string_enum(ReportKind))
    status: Mapped[ReportStatus] = mapped_column(string_enum(ReportStatus), default=ReportStatus.DRAFT)
    # {question id: answer} to this version of the call's report questionnaire.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    questions_version: Mapped[int | None] = mapped_column(Integer)
    # How many times it was submitted: each submission (after a return) is notified once.
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The operator's last word: the comment of a return, the day of the approval.
    comment: Mapped[str] = mapped_column(Text, default="")
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class KeptPayment(db.Model):
    """A paid tranche of a community that was erased: the operator's accounting keeps the money paid (amount,
    currency, day, reference, call), without the community's name, its application or its people."""

    __tablename__ = "scholarship_kept_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("scholarship_calls.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date)
    payment_reference: Mapped[str] = mapped_column(String(100), default="")
    kept_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    amount: Mapped[Money] = money_composite("amount_minor", "currency")
