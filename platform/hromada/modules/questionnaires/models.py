"""A questionnaire is organisation data: its questions, in order, and the frozen versions answers point to.

Each change to the questions raises `Questionnaire.version` and freezes the new version
(`QuestionnaireVersion`), so that an answer is always read next to exactly the question it
answered, however the questions change later. The answers themselves live with what they belong to
(a programme application, a scholarship application), as `{question id: value}` with the version.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db


class QuestionKind(str, enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    BUDGET = "budget"
    ARTEFACT = "artefact"


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Raised by every change to the questions; answers record the version they answered.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """One question: its text in the questionnaire's main language, translations, and what an answer may be."""

    __tablename__ = "questionnaire_questions"
    # Positions are dense (0, 1, 2...) and unique in a questionnaire: moving a question swaps two of them.
    __table_args__ = (UniqueConstraint("questionnaire_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    position: Mapped[int] = mapped_column()
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind))
    # The language `label` and `help_text` are written in ("" when the owner declares none).
    language: Mapped[str] = mapped_column(String(8), default="")
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(1000), default="")
    # {language code: {"label": ..., "help_text": ...}} for the owner's other languages.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # The answers offered by a "choice" question, in order.
    choices: Mapped[list] = mapped_column(JSON, default=list)
    # Bounds of a number; the largest amount of money (in minor units of `currency`).
    min_value: Mapped[int | None] = mapped_column(BigInteger)
    max_value: Mapped[int | None] = mapped_column(BigInteger)
    # The currency of a money or budget question (ISO 4217).
    currency: Mapped[str | None] = mapped_column(String(3))
    # The kind of artefact a link question points to (`hromada_artefact_kinds`).
    artefact_kind: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")

    def frozen(self) -> dict:
        """What an answer needs to be read later: everything but the position and the dates."""
        return {
            "id": self.id, "kind": self.kind.value, "language": self.language, "label": self.label,
            "help_text": self.help_text, "translations": dict(self.translations or {}), "required": self.required,
            "choices": list(self.choices or []), "min_value": self.min_value, "max_value": self.max_value,
            "currency": self.currency, "artefact_kind": self.artefact_kind,
        }


class QuestionnaireVersion(db.Model):
    """The questions of one version as they were answered, frozen by the change that made the version."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    # [Question.frozen(), ...] in order.
    questions: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
