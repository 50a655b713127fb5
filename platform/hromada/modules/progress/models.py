"""Where a community stands in each stage of a programme, and how it got there.

Both tables are shared between the community and the organisation running the
programme (like the enrolment they hang from): the organisation's operators
write them when they move a community on, the community reads them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.programmes.models import Stage
from hromada.tenancy import SharedWithOrganisation


class ProgressStatus(str, enum.Enum):
    ADMITTED = "admitted"  # entered the stage, no activity since
    ACTIVE = "active"  # has done something in the stage
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class TransitionKind(str, enum.Enum):
    ADMITTED = "admitted"
    ADVANCED = "advanced"
    COMPLETED = "completed"  # past the last stage: the programme is completed
    WITHDRAWN = "withdrawn"
    OVERRIDE = "override"  # advanced (or completed) by an operator although requirements were open


class StageProgress(SharedWithOrganisation, db.Model):
    """One community's passage through one stage.

    An enrolment without a row for its current stage counts as admitted to it
    when it was enrolled (admission creates only the enrolment); the row is
    created when something happens in that stage.
    """

    __tablename__ = "stage_progress"
    __table_args__ = (UniqueConstraint("tenant_id", "enrolment_id", "stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("programme_stages.id"), index=True)
    status: Mapped[ProgressStatus] = mapped_column(string_enum(ProgressStatus))
    admitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    stage: Mapped[Stage] = relationship()


class EnrolmentTransition(SharedWithOrganisation, db.Model):
    """A step of an enrolment's history: admitted, advanced, completed, withdrawn or overridden.

    `reason` is written by the operator and shown to the community; the audit
    log keeps the ids only.
    """

    __tablename__ = "enrolment_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("programme_stages.id"))
    to_stage_id: Mapped[int | None] = mapped_column(ForeignKey("programme_stages.id"))
    kind: Mapped[TransitionKind] = mapped_column(string_enum(TransitionKind))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    actor: Mapped[User | None] = relationship()
