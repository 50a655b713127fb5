"""Internships abroad (deck 002, stage 3): in NGOs, parties and local government.

The operator keeps its host organisations and offers placements in a civic course
programme: the organisation's own rows (no community's data), filtered by
`organisation_id` on every page. A member of a community in that stage applies, or
its coordinator nominates a member: the application is the community's row, shared
with the organisation running the programme (`SharedWithOrganisation`), as are the
intern's logbook entries. Interns are named by their pseudonyms; contact details
stay off the platform. Travel details are written per intern by the operator and
read only by the operator and the intern's community.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.plugin_api import SharedWithOrganisation, User, db
from hromada.plugin_api import lazy_gettext as _l

HOST_KINDS = {"association": _l("Association"), "party": _l("Party"), "local_government": _l("Local government"),
              "ngo": _l("Non-governmental organisation")}


class ApplicationStatus(str, enum.Enum):
    APPLIED = "applied"
    SELECTED = "selected"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


STATUS_NAMES = {ApplicationStatus.APPLIED.value: _l("applied"), ApplicationStatus.SELECTED.value: _l("selected"),
                ApplicationStatus.DECLINED.value: _l("not selected"),
                ApplicationStatus.WITHDRAWN.value: _l("withdrawn")}


class HostOrganisation(db.Model):
    __tablename__ = "civic_host_organisations"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(100))
    languages: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Placement(db.Model):
    __tablename__ = "civic_placements"
    __table_args__ = (CheckConstraint("places >= 1", name="places_positive"),
                      CheckConstraint("starts_on <= ends_on", name="starts_before_end"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # The civic course programme whose communities may apply.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("civic_host_organisations.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    places: Mapped[int] = mapped_column(Integer)
    tasks: Mapped[str] = mapped_column(Text)  # what the intern will do
    language: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    host: Mapped[HostOrganisation] = relationship()


class InternshipApplication(SharedWithOrganisation, db.Model):
    __tablename__ = "civic_internship_applications"
    # One application per person and placement: a form sent twice is stored once.
    __table_args__ = (UniqueConstraint("tenant_id", "placement_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("civic_placements.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The coordinator who nominated the member, when the member did not apply themselves.
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    motivation: Mapped[str] = mapped_column(Text)
    languages: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.APPLIED.value)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    agreement_on: Mapped[date | None] = mapped_column(Date)
    # Written by the operator once the intern is selected; read by the operator and the intern's community only.
    travel: Mapped[str] = mapped_column(Text, default="")
    intern_evaluation: Mapped[str] = mapped_column(Text, default="")
    host_evaluation: Mapped[str] = mapped_column(Text, default="")  # entered by the operator
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    intern: Mapped[User] = relationship(foreign_keys=[user_id])


class LogbookEntry(SharedWithOrganisation, db.Model):
    __tablename__ = "civic_logbook_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("civic_internship_applications.id", ondelete="CASCADE"),
                                                index=True)
    written_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
