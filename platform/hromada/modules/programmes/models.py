"""A programme of an operator organisation is an ordered list of stages.

A programme's call invites communities to apply: its questions (a questionnaire) are
organisation data, the applications that answer them are shared between the applying
community (the tenant) and the organisation that decides on them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.modules.communities.models import Community
from hromada.modules.organisations.models import Organisation
from hromada.modules.questionnaires.models import Question, Questionnaire
from hromada.tenancy import SharedWithOrganisation


class Programme(db.Model):
    """A staged support programme that communities move through."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # A community with no activity for this many days is flagged in the operators' daily digest.
    stall_days: Mapped[int] = mapped_column(Integer, default=14)
    # Languages the programme is run in: codes of hromada.i18n.LANGUAGE_NAMES.
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # The call: while it is open (and its closing day has not passed), new communities apply.
    call_open: Mapped[bool] = mapped_column(Boolean, default=False)
    call_text: Mapped[str] = mapped_column(Text, default="")
    call_closes_on: Mapped[date | None] = mapped_column(Date)
    questionnaire_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaires.id"))
    # The language the title, description and call text are written in ("" while none is declared), and
    # those texts in the programme's other languages: {code: {"title": ..., "description": ..., "call_text": ...}}.
    # Readers see their language's text, or the main one marked as such (`hromada.modules.questionnaires.texts`).
    language: Mapped[str] = mapped_column(String(8), default="")
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    # When an operator published it. Until then (None) it is a draft: only its organisation's staff see it,
    # and nobody can apply to it.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    organisation: Mapped[Organisation] = relationship(back_populates="programmes")
    stages: Mapped[list[Stage]] = relationship(
        back_populates="programme", order_by="Stage.position", cascade="all, delete-orphan"
    )
    # The questions of the call's application form (created with the first question).
    questionnaire: Mapped[Questionnaire | None] = relationship()

    @property
    def questions(self) -> list[Question]:
        return self.questionnaire.questions if self.questionnaire is not None else []

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def call_is_open(self, today: date | None = None) -> bool:
        """Whether communities can apply today (the closing day itself included): never to a draft."""
        today = today or date.today()
        return (bool(self.call_open) and self.published_at is not None
                and (self.call_closes_on is None or today <= self.call_closes_on))


class Stage(db.Model):
    """One stage of a programme: an instance of a stage type contributed by a plugin.

    `settings` holds the values of the stage type's settings form (its defaults
    until an operator changes them). A closed stage admits nobody new, and keeps
    the history of the communities that went through it.
    """

    __tablename__ = "programme_stages"
    # Positions are dense (0, 1, 2...) and unique in a programme: moving a stage swaps two of them.
    __table_args__ = (UniqueConstraint("programme_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    position: Mapped[int] = mapped_column()
    stage_type: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    programme: Mapped[Programme] = relationship(back_populates="stages")


class ApplicationStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    DECLINED = "declined"


class Application(SharedWithOrganisation, db.Model):
    """A community's application to a programme: the community writes it, the organisation decides.

    One per community and programme: a second submission finds the first.
    """

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("tenant_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        string_enum(ApplicationStatus), default=ApplicationStatus.SUBMITTED
    )
    # {question id (as text): answer}, given to this version of the questionnaire (None: no questions).
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    questions_version: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_message: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship()
    community: Mapped[Community] = relationship()
