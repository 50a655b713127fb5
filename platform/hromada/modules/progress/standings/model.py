"""The read model of a cohort: where each enrolment stands, kept on write, one row per enrolment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from hromada.extensions import db
from hromada.tenancy import SharedWithOrganisation


class CohortStanding(SharedWithOrganisation, db.Model):
    """One enrolment: its community's name, its stage and status, its last activity; and what was evaluated.

    The first part is rewritten in the transaction of every write that can change it (`keeping`),
    so filters, sorting and counts read it as the truth. The second part (requirements met, the
    plugins' columns) is written when a page evaluates it and counts only while `evaluated_version`
    equals `version` (every write to the community, and every change to what its programme asks,
    moves `version`) and `evaluated_until` has not passed (a value that changes with the clock,
    such as overdue actions, says until when it holds).
    """

    __tablename__ = "cohort_standings"
    __data_version__ = False  # kept by the writes that move the versions; it shows nothing they do not
    __table_args__ = (
        # The default order (by stage, then name) is read off this index, a page at a time.
        Index("ix_cohort_standings_programme_stage", "programme_id", "stage_position", "sort_name", "enrolment_id"),
        Index("ix_cohort_standings_programme_name", "programme_id", "sort_name"),
        Index("ix_cohort_standings_programme_activity", "programme_id", "last_activity_at"),
        Index("ix_cohort_standings_programme_rowless", "programme_id", "has_stage_row", "current_stage_id"),
    )

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    sort_name: Mapped[str] = mapped_column(Text)
    current_stage_id: Mapped[int | None] = mapped_column(Integer)
    has_stage_row: Mapped[bool] = mapped_column(Boolean, default=False)  # a progress row for the current stage
    stage_id: Mapped[int | None] = mapped_column(Integer)  # the stage it is in, or left the programme from
    stage_position: Mapped[int | None] = mapped_column(Integer)  # that stage's place in the programme
    status: Mapped[str | None] = mapped_column(String(20))
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    quiet_since: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # last activity, else enrolment
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    evaluated_version: Mapped[int] = mapped_column(BigInteger, default=0)
    evaluated_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    met: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    columns: Mapped[dict | None] = mapped_column(JSON)
    outcomes: Mapped[list | None] = mapped_column(JSON)  # each requirement: key, label, met, reason


class StageFunnelCount(db.Model):
    """How many progress rows a stage has, and how many of them completed or left it: the cohort's funnel.

    Kept by triggers on `stage_progress` (`sql.FUNNEL_TRIGGERS`), in the writing transaction and
    whoever writes, cascades included. Communities in a stage without a progress row yet (admission
    makes only the enrolment) are counted from `cohort_standings.has_stage_row`.
    """

    __tablename__ = "stage_funnel_counts"
    __data_version__ = False

    stage_id: Mapped[int] = mapped_column(ForeignKey("programme_stages.id", ondelete="CASCADE"), primary_key=True)
    entered: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)


class ProgrammeCohortCount(db.Model):
    """How many communities a programme has: its rows in `cohort_standings`, kept by triggers on them
    (`sql.COHORT_COUNT_TRIGGERS`) in the writing transaction. The cohort's total, read in one row."""

    __tablename__ = "programme_cohort_counts"
    __data_version__ = False

    programme_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    communities: Mapped[int] = mapped_column(Integer, default=0)


def programmes_taking_part(community_id: int):
    """A SELECT of the ids of the programmes the community is enrolled in and has not withdrawn from.

    For a plugin that lets the communities of a cohort see each other's rows: a community that
    left the programme is no longer one of them. Read under row-level security like any query.
    """
    return select(CohortStanding.programme_id).where(
        CohortStanding.tenant_id == community_id,
        or_(CohortStanding.status.is_(None), CohortStanding.status != "withdrawn"))
